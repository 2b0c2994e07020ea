import * as tf from '@tensorflow/tfjs';
import { type CellParams, type CellState, projectInputs, zeroState } from './cell.js';
import { gruSequence } from './gru-sequence.js';
import { lstmSequence } from './lstm-sequence.js';
import { packRows, packedLayout, sortRows, unpackRows, unsortRows } from './packed-layout.js';
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

/** Rows of a layer's input at the given time-major row indices (e.g. rows of a per-token table gathered by id). */
export type RowSource = (rows: Int32Array) => tf.Tensor2D;

/** All states of a GRU or RNN layer over the padded sequence, each [T·B, H]. */
function paddedStates(cell: CellParams, x: tf.Tensor2D, initial: CellState, steps: number): tf.Tensor2D[] {
  const k = cell.kernel as tf.Tensor2D;
  const u = cell.recurrent as tf.Tensor2D;
  const b = cell.bias as tf.Tensor1D;
  if (cell.kind === 'gru') return [gruSequence(x, initial[0], k, u, b, cell.recurrentBias as tf.Tensor1D, steps)];
  return [rnnSequence(x, initial[0], k, u, b, steps)];
}

/** A GRU or RNN layer over the padded sequence (every row runs all steps; finals picked at each row's length). */
function runPadded(cell: CellParams, x: tf.Tensor2D, steps: number, rows: number, lengths: Int32Array, options: RunLayerOptions): LayerRun {
  const permutation = options.reverse === true ? tf.tensor1d(reversalIndex(lengths, steps), 'int32') : undefined;
  const inputs = permutation === undefined ? x : (tf.gather(x, permutation) as tf.Tensor2D);
  const initial = options.initial ?? zeroState(cell, rows);
  const states = paddedStates(cell, inputs, initial, steps);
  const hidden = permutation === undefined ? states[0] : (tf.gather(states[0], permutation) as tf.Tensor2D);
  const outputs = tf.reshape(hidden, [steps, rows, cell.hiddenSize]) as tf.Tensor3D; // [T, B, H]
  const final = states.map((all, i) => stateAtLength(initial[i], all, lengths));
  return { outputs, final };
}

/**
 * An LSTM layer over the packed sequence (see packedLayout): each step runs
 * only the rows whose true length reaches it, so padded steps cost nothing.
 */
function runPacked(cell: CellParams, inputs: tf.Tensor2D | RowSource, steps: number, rows: number, lengths: Int32Array, options: RunLayerOptions): LayerRun {
  const layout = packedLayout(lengths, steps, options.reverse === true);
  const initial = options.initial ?? zeroState(cell, rows);
  const h = cell.hiddenSize;
  if (layout.total === 0) return { outputs: tf.zeros([steps, rows, h]), final: initial }; // every row is empty
  const x = typeof inputs === 'function' ? inputs(layout.fullRow) : packRows(inputs, layout); // [P, I]
  const gates = options.projected === true ? x : projectInputs(cell, x); // [P, 4H]
  const sorted = initial.map((state) => sortRows(state, layout));
  const all = lstmSequence(gates, sorted[0], sorted[1], cell.recurrent as tf.Tensor2D, layout.active); // [P + 2B, H]
  const [hs, hFinal, cFinal] = tf.split(all, [layout.total, rows, rows], 0) as tf.Tensor2D[];
  const outputs = tf.reshape(unpackRows(hs, layout), [steps, rows, h]) as tf.Tensor3D; // [T, B, H]
  return { outputs, final: [unsortRows(hFinal, layout), unsortRows(cFinal, layout)] };
}

/**
 * Runs one recurrent layer over a time-major sequence as one fused op per
 * layer (see lstmSequence/gruSequence/rnnSequence): one input matMul for all
 * steps, one recurrent matMul per step, a hand-written backward. An LSTM
 * layer packs the batch (rows sorted by length, each step runs only the rows
 * still going); GRU and RNN layers run every row over all steps and pick each
 * row's final state with a gather. `inputs` is either the tensor [T·B, I] or a
 * function that returns the input rows at given time-major indices (so a
 * packed layer gathers only the rows it runs). Call inside `tf.tidy` or a
 * gradient function.
 */
export function runLayer(
  cell: CellParams,
  inputs: tf.Tensor2D | RowSource, // [T·B, I]
  steps: number,
  rows: number,
  options: RunLayerOptions = {},
): LayerRun {
  const lengths = options.lengths ?? new Int32Array(rows).fill(steps);
  if (cell.kind === 'lstm') return runPacked(cell, inputs, steps, rows, lengths, options);
  if (options.projected === true) throw new Error(`runLayer: projected inputs are supported for LSTM layers only, not ${cell.kind}`);
  const x = typeof inputs === 'function' ? inputs(Int32Array.from({ length: steps * rows }, (_, i) => i)) : inputs;
  return runPadded(cell, x, steps, rows, lengths, options);
}
