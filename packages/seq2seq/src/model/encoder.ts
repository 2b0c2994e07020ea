import * as tf from '@tensorflow/tfjs';
import type { CellState } from '../cells/cell.js';
import { runLayer } from '../cells/run-layer.js';
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
  memory: tf.Tensor3D; // [B, S, H]
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
 * two directions, which keeps every size at H. Call inside `tf.tidy`.
 */
export function encode(params: ModelParams, config: ModelConfig, source: SourceBatch, drop: Dropper): Encoded {
  const { steps, rows, lengths } = source;
  const embedding = params.sourceEmbedding as tf.Variable;
  let x = drop.apply(tf.gather(embedding, tf.tensor1d(source.ids, 'int32')) as tf.Tensor2D, config.embeddingDropout); // [S·B, E]
  const final: CellState[] = [];
  let outputs: tf.Tensor3D | undefined;
  for (let l = 0; l < config.layers; l++) {
    const forward = runLayer(params.encoderForward[l], x, steps, rows, { lengths });
    outputs = forward.outputs; // [S, B, H]
    let state = forward.final;
    if (config.bidirectional) {
      const backward = runLayer(params.encoderBackward[l], x, steps, rows, { lengths, reverse: true });
      outputs = tf.add(outputs, backward.outputs) as tf.Tensor3D;
      state = sumStates(state, backward.final);
    }
    final.push(state);
    if (l < config.layers - 1) {
      x = drop.apply(tf.reshape(outputs, [steps * rows, config.hiddenSize]) as tf.Tensor2D, config.dropout);
    }
  }
  const memory = tf.transpose(outputs as tf.Tensor3D, [1, 0, 2]) as tf.Tensor3D; // [B, S, H]
  return { memory, final };
}
