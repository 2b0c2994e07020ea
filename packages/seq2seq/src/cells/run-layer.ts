import * as tf from '@tensorflow/tfjs';
import { type CellParams, type CellState, projectInputs, zeroState } from './cell.js';
import { gruSequence } from './gru-sequence.js';
import { lstmSequence } from './lstm-sequence.js';
import { rnnSequence } from './rnn-sequence.js';

/** How {@link runLayer} walks a sequence. */
export interface RunLayerOptions {
  /** Initial state (default zeros). */
  initial?: CellState;
  /** Walk each row from its last real step to its first (backward direction). */
  reverse?: boolean;
  /**
   * True length of each row (0 allowed; default: all steps). The final state
   * is each row's state at its true length, and a reverse walk starts at each
   * row's true end, so the content of padded steps never reaches the final
   * state. Outputs at padded steps are unspecified (callers mask them).
   */
  lengths?: Int32Array;
  /**
   * `inputs` are already the layer's projected inputs `x·K + b` ([T·B, G·H]),
   * e.g. rows of a per-token table (see tokenGates). LSTM only.
   */
  projected?: boolean;
}

/** Result of a layer over a sequence. */
export interface LayerRun {
  outputs: tf.Tensor3D; // [T, B, H], time-major, in time order (also when reversed)
  final: CellState;
}

/**
 * Time-major row permutation that reverses each row within its true length
 * (padding stays in place). It is its own inverse.
 */
function reversalIndex(lengths: Int32Array, steps: number): Int32Array {
  const rows = lengths.length;
  const index = new Int32Array(steps * rows);
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < rows; b++) {
      const len = lengths[b];
      index[t * rows + b] = t < len ? (len - 1 - t) * rows + b : t * rows + b;
    }
  }
  return index;
}

/**
 * Picks each row's state at its true length from [initial; all T states]
 * ([T·B, H]). Full-length batches take the last step's rows; only a batch
 * with an empty row pays for stacking `initial` in front of all states.
 */
function stateAtLength(initial: tf.Tensor2D, all: tf.Tensor2D, lengths: Int32Array): tf.Tensor2D {
  const rows = lengths.length;
  const steps = all.shape[0] / rows;
  if (steps > 0 && lengths.every((len) => len === steps)) {
    return tf.slice(all, [(steps - 1) * rows, 0], [rows, -1]); // [B, H]
  }
  if (lengths.every((len) => len > 0)) {
    const index = Int32Array.from(lengths, (len, b) => (len - 1) * rows + b);
    return tf.gather(all, tf.tensor1d(index, 'int32')) as tf.Tensor2D; // [B, H]
  }
  const index = Int32Array.from(lengths, (len, b) => len * rows + b);
  return tf.gather(tf.concat([initial, all], 0), tf.tensor1d(index, 'int32')) as tf.Tensor2D; // [B, H]
}

/** All states of a layer over the sequence, each [T·B, H] (LSTM: [h, c]; else [h]). */
function sequenceStates(cell: CellParams, x: tf.Tensor2D, initial: CellState, steps: number, projected: boolean): tf.Tensor2D[] {
  const k = cell.kernel as tf.Tensor2D;
  const u = cell.recurrent as tf.Tensor2D;
  const b = cell.bias as tf.Tensor1D;
  if (projected && cell.kind !== 'lstm') throw new Error(`runLayer: projected inputs are supported for LSTM layers only, not ${cell.kind}`);
  switch (cell.kind) {
    case 'lstm': {
      const gates = projected ? x : projectInputs(cell, x); // [T·B, 4H]
      return tf.split(lstmSequence(gates, initial[0], initial[1], u, steps), 2, 0) as tf.Tensor2D[];
    }
    case 'gru':
      return [gruSequence(x, initial[0], k, u, b, cell.recurrentBias as tf.Tensor1D, steps)];
    case 'rnn':
      return [rnnSequence(x, initial[0], k, u, b, steps)];
  }
}

/**
 * Runs one recurrent layer over a time-major sequence as one fused op per
 * layer (see lstmSequence/gruSequence/rnnSequence): one input matMul for all
 * steps, one recurrent matMul per step, a hand-written backward. Variable
 * lengths cost two gathers, not per-step masks. Call inside `tf.tidy` or a
 * gradient function.
 */
export function runLayer(
  cell: CellParams,
  inputs: tf.Tensor2D, // [T·B, I]
  steps: number,
  rows: number,
  options: RunLayerOptions = {},
): LayerRun {
  const lengths = options.lengths ?? new Int32Array(rows).fill(steps);
  const permutation = options.reverse === true ? tf.tensor1d(reversalIndex(lengths, steps), 'int32') : undefined;
  const x = permutation === undefined ? inputs : (tf.gather(inputs, permutation) as tf.Tensor2D);
  const initial = options.initial ?? zeroState(cell, rows);
  const states = sequenceStates(cell, x, initial, steps, options.projected === true);
  const hidden = permutation === undefined ? states[0] : (tf.gather(states[0], permutation) as tf.Tensor2D);
  const outputs = tf.reshape(hidden, [steps, rows, cell.hiddenSize]) as tf.Tensor3D; // [T, B, H]
  const final = states.map((all, i) => stateAtLength(initial[i], all, lengths));
  return { outputs, final };
}
