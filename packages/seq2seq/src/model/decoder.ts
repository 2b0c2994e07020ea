import * as tf from '@tensorflow/tfjs';
import { type AttentionMemory, type AttentionParams, attendAll, attendStep } from '../attention/attention.js';
import { type Product, plainProduct, transposeSharingProduct } from '../cells/cached-transpose-mat-mul.js';
import { type CellState, cellStep, projectInputs } from '../cells/cell.js';
import { type RowSource, runLayer } from '../cells/run-layer.js';
import { addRowBias } from '../cells/sequence-tools.js';
import type { KernelPass } from '../kernels/kernel-set.js';
import type { ModelConfig } from '../model-contract.js';
import type { Dropper } from './dropout.js';
import type { ModelParams } from './parameters.js';

/** Decoder recurrent state: per layer, plus the fed-back attentional vector. */
export interface DecoderState {
  layers: CellState[];
  feed: tf.Tensor2D | null; // [B, H] when input feeding, else null
}

/** One decoder step's result. */
export interface DecoderStepResult {
  state: DecoderState;
  output: tf.Tensor2D; // [B, H] attentional vector (or top hidden state without attention)
  weights?: tf.Tensor2D; // [B, S]
}

/**
 * One decoder time step for all rows: input = [embedding; previous
 * attentional vector] (input feeding), the stacked cells, then attention with
 * the top hidden state as query.
 */
export function decoderStep(
  params: ModelParams,
  config: ModelConfig,
  embedded: tf.Tensor2D, // [B, E]
  state: DecoderState,
  memory: AttentionMemory | null,
  drop: Dropper,
  pass: KernelPass,
  product: Product = plainProduct,
): DecoderStepResult {
  const input = state.feed === null ? embedded : (tf.concat([embedded, state.feed], 1) as tf.Tensor2D); // [B, E(+H)]
  return decoderStepFromGates(params, config, projectInputs(params.decoder[0], input, product), state, memory, drop, pass, product);
}

/**
 * A decoder step given layer 0's projected input (`gates0` = [emb; feed]·K₀ + b₀,
 * [B, G·H]), e.g. teacher-forced training with the embedding part projected for
 * all steps at once, or decoding that gathers rows of a per-token gate table.
 */
export function decoderStepFromGates(
  params: ModelParams,
  config: ModelConfig,
  gates0: tf.Tensor2D,
  state: DecoderState,
  memory: AttentionMemory | null,
  drop: Dropper,
  pass: KernelPass,
  product: Product = plainProduct,
): DecoderStepResult {
  const layers: CellState[] = [];
  let gates = gates0;
  for (let l = 0; l < config.layers; l++) {
    const next = cellStep(params.decoder[l], gates, state.layers[l], pass, product);
    layers.push(next);
    if (l < config.layers - 1) gates = projectInputs(params.decoder[l + 1], drop.apply(next[0], config.dropout), product);
  }
  const top = layers[config.layers - 1][0]; // [B, H]
  if (params.attention === undefined || memory === null) return { state: { layers, feed: null }, output: top };
  const read = attendStep(params.attention, memory, top, product);
  const feed = config.inputFeeding ? read.attentional : null;
  return { state: { layers, feed }, output: read.attentional, weights: read.weights };
}

/**
 * Layer 0's teacher-forced inputs: the embedded target inputs [T·B, E]
 * (time-major), or, without input feeding, a source of its projected inputs
 * [G·H] at given time-major rows (per-token gate table rows).
 */
export type TeacherInput = { embedded: tf.Tensor2D } | { gates: RowSource };

/**
 * Teacher-forced decoder over all target steps, returning the outputs that
 * feed the projection, time-major [T·B, H]. Without input feeding each layer
 * runs over the whole sequence (one input matMul per layer) and attention
 * reads all steps in one batched matMul; with input feeding the steps must
 * interleave through {@link decoderStep}. `lengths` (default: all steps)
 * lets the layers skip each row's steps past its last real target position;
 * outputs there are zeros (the loss masks them). `finals`, when given,
 * receives each layer's final state (without input feeding: the language
 * model's case). Call inside `tf.tidy`.
 */
export function decodeTeacherForced(
  params: ModelParams,
  config: ModelConfig,
  first: TeacherInput,
  steps: number,
  rows: number,
  initial: DecoderState,
  memory: AttentionMemory | null,
  drop: Dropper,
  pass: KernelPass,
  lengths?: Int32Array, // [B] real target steps per row
  finals?: CellState[], // receives each layer's state after each row's last real step
): tf.Tensor2D {
  const h = config.hiddenSize;
  if (!config.inputFeeding) {
    let x: tf.Tensor2D | RowSource = 'gates' in first ? first.gates : first.embedded;
    let top: tf.Tensor3D | undefined;
    for (let l = 0; l < config.layers; l++) {
      const projected = l === 0 && 'gates' in first;
      const run = runLayer(params.decoder[l], x, steps, rows, pass, { initial: initial.layers[l], projected, lengths });
      top = run.outputs; // [T, B, H]
      finals?.push(run.final);
      if (l < config.layers - 1) x = drop.apply(tf.reshape(top, [steps * rows, h]) as tf.Tensor2D, config.dropout);
    }
    if (params.attention === undefined || memory === null) return tf.reshape(top as tf.Tensor3D, [steps * rows, h]);
    const queries = tf.transpose(top as tf.Tensor3D, [1, 0, 2]) as tf.Tensor3D; // [B, T, H]
    const { attentional } = attendAll(params.attention as AttentionParams, memory, queries); // [B, T, H]
    return tf.reshape(tf.transpose(attentional, [1, 0, 2]), [steps * rows, h]); // [T·B, H]
  }
  // Input feeding: the embedding part of layer 0's projection is one matMul
  // over all steps; only the fed-back part is projected per step.
  if ('gates' in first) throw new Error('decodeTeacherForced: input feeding needs embedded inputs, not per-token gates');
  const embedded = first.embedded;
  const cell0 = params.decoder[0];
  const e = config.embeddingSize;
  const kernelEmbedding = tf.slice(cell0.kernel, [0, 0], [e, -1]) as tf.Tensor2D; // [E, G·H]
  const kernelFeed = tf.slice(cell0.kernel, [e, 0], [h, -1]) as tf.Tensor2D; // [H, G·H]
  const projected = addRowBias(tf.matMul(embedded, kernelEmbedding), cell0.bias); // [T·B, G·H]
  const perStep = tf.unstack(tf.reshape(projected, [steps, rows, -1]), 0) as tf.Tensor2D[]; // T × [B, G·H]
  if (finals) throw new Error('decodeTeacherForced: final states are reported without input feeding only (language models)');
  const product = transposeSharingProduct(); // weights used every step are transposed once in the backward pass
  let state = initial;
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const gates0 = tf.add(perStep[t], product(state.feed as tf.Tensor2D, kernelFeed)) as tf.Tensor2D;
    const result = decoderStepFromGates(params, config, gates0, state, memory, drop, pass, product);
    state = result.state;
    outputs.push(result.output);
  }
  return tf.concat(outputs, 0); // [T·B, H]
}
