import * as tf from '@tensorflow/tfjs';
import type { CellParams, CellState } from '../cells/cell.js';
import { embeddingRows } from '../cells/embedding-rows.js';
import { type RowSource, runLayer } from '../cells/run-layer.js';
import { foldsTokenGates, tokenGates } from '../cells/token-gates.js';
import type { KernelPass } from '../kernels/kernel-set.js';
import type { ModelConfig } from '../model-contract.js';
import type { Dropper } from './dropout.js';
import type { ModelParams } from './parameters.js';

/** A padded source batch, time-major. */
export interface SourceBatch {
  ids: Int32Array; // [S·B] time-major: ids[t·B + b]
  lengths: Int32Array; // [B]
  steps: number; // S
  rows: number; // B
}

/** Encoder result. */
export interface Encoded {
  /** Encoder outputs `[B, S, H]` for attention; null for a model without attention (never computed). */
  memory: tf.Tensor3D | null;
  /** Final state per layer, at each row's true length (directions summed). */
  final: CellState[];
}

function sumStates(a: CellState, b: CellState): CellState {
  return a.map((tensor, i) => tf.add(tensor, b[i]) as tf.Tensor2D);
}

/**
 * Runs the (optionally bidirectional, stacked) encoder. Padded steps never
 * change a row's state, so final states are taken at each row's true length
 * and the backward direction starts at the true end. A bidirectional layer's
 * output, and its final state (the bridge to the decoder), is the SUM of its
 * two directions, which keeps every size at H. Call inside `tf.tidy`; `pass`
 * is differentiable inside a loss.
 */
export function encode(params: ModelParams, config: ModelConfig, source: SourceBatch, drop: Dropper, pass: KernelPass): Encoded {
  const { steps, rows, lengths } = source;
  const embedding = params.sourceEmbedding as tf.Tensor2D;
  const fold = (cell: CellParams) => foldsTokenGates(cell, embedding.shape[0], steps * rows, drop.isIdentity(config.embeddingDropout));
  let embedded: tf.Tensor2D | undefined;
  // layer 0 reads the embedding: from a per-token gate table when that is cheaper, else embedded rows
  const firstInputs = (cell: CellParams): [tf.Tensor2D | RowSource, boolean] => {
    if (fold(cell))
      return [
        (index) =>
          tokenGates(
            cell,
            embedding,
            index.map((i) => source.ids[i]!),
            pass,
          ),
        true,
      ];
    embedded ??= drop.apply(embeddingRows(embedding, source.ids, pass), config.embeddingDropout); // [S·B, E]
    return [embedded, false];
  };
  let x: tf.Tensor2D | undefined;
  const final: CellState[] = [];
  let outputs: tf.Tensor3D | undefined;
  for (let l = 0; l < config.layers; l++) {
    const input = (cell: CellParams): [tf.Tensor2D | RowSource, boolean] => (l === 0 ? firstInputs(cell) : [x as tf.Tensor2D, false]);
    const [forwardInput, forwardProjected] = input(params.encoderForward[l]);
    const forward = runLayer(params.encoderForward[l], forwardInput, steps, rows, pass, { lengths, projected: forwardProjected });
    outputs = forward.outputs; // [S, B, H]
    let state = forward.final;
    if (config.bidirectional) {
      const [backwardInput, backwardProjected] = input(params.encoderBackward[l]);
      const backward = runLayer(params.encoderBackward[l], backwardInput, steps, rows, pass, { lengths, reverse: true, projected: backwardProjected });
      outputs = tf.add(outputs, backward.outputs) as tf.Tensor3D;
      state = sumStates(state, backward.final);
    }
    final.push(state);
    if (l < config.layers - 1) {
      x = drop.apply(tf.reshape(outputs, [steps * rows, config.hiddenSize]) as tf.Tensor2D, config.dropout);
    }
  }
  // only attention reads the outputs batch-major; without it the transpose would be work for nothing
  const memory = params.attention === undefined ? null : (tf.transpose(outputs as tf.Tensor3D, [1, 0, 2]) as tf.Tensor3D); // [B, S, H]
  return { memory, final };
}
