import * as tf from '@tensorflow/tfjs';
import { type CellParams, type CellState, cellStep, projectInputs, zeroState } from './cell.js';

/** How {@link runLayer} walks a sequence. */
export interface RunLayerOptions {
  /** Initial state (default zeros). */
  initial?: CellState;
  /** Walk each row from its last real step to its first (backward direction). */
  reverse?: boolean;
  /**
   * True length of each row (0 allowed). The final state is each row's state
   * at its true length, and a reverse walk starts at each row's true end, so
   * the content of padded steps never reaches the final state. Outputs at
   * padded steps are unspecified (callers mask them).
   */
  lengths?: Int32Array;
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

/** Picks each row's state at its true length from [initial; step 1; …; step T]. */
function stateAtLength(initial: tf.Tensor2D, perStep: tf.Tensor2D[], lengths: Int32Array): tf.Tensor2D {
  const rows = lengths.length;
  const index = Int32Array.from(lengths, (len, b) => len * rows + b);
  const all = tf.concat([initial, ...perStep], 0); // [(T+1)·B, H]
  return tf.gather(all, tf.tensor1d(index, 'int32')) as tf.Tensor2D; // [B, H]
}

/**
 * Runs one recurrent layer over a time-major sequence. The input projection
 * of all steps is ONE matMul ([T·B, I] × [I, G·H]); each step then does one
 * recurrent matMul and the fused gate arithmetic. Every step has the same
 * ops (no per-step masking): variable lengths are handled by gathers before
 * and after the loop. Call inside `tf.tidy` or a gradient function.
 */
export function runLayer(
  cell: CellParams,
  inputs: tf.Tensor2D, // [T·B, I]
  steps: number,
  rows: number,
  options: RunLayerOptions = {},
): LayerRun {
  const { lengths, reverse = false } = options;
  const ragged = lengths !== undefined && lengths.some((len) => len !== steps);
  const permutation = reverse && ragged ? tf.tensor1d(reversalIndex(lengths, steps), 'int32') : undefined;
  const x = permutation === undefined ? inputs : (tf.gather(inputs, permutation) as tf.Tensor2D);
  const walkBackward = reverse && permutation === undefined; // full rows: plain reversed walk
  const projected = tf.reshape(projectInputs(cell, x), [steps, rows, -1]); // [T, B, G·H]
  const perStep = tf.unstack(projected, 0) as tf.Tensor2D[]; // T × [B, G·H]
  const initial = options.initial ?? zeroState(cell, rows);
  let state = initial;
  const history: tf.Tensor2D[][] = initial.map(() => new Array(steps)); // per state tensor, per walk step
  for (let k = 0; k < steps; k++) {
    const t = walkBackward ? steps - 1 - k : k;
    state = cellStep(cell, perStep[t], state);
    state.forEach((tensor, i) => (history[i][t] = tensor));
  }
  let outputs = tf.stack(history[0], 0) as tf.Tensor3D; // [T, B, H]
  if (permutation !== undefined) {
    const flat = tf.reshape(outputs, [steps * rows, cell.hiddenSize]);
    outputs = tf.reshape(tf.gather(flat, permutation), [steps, rows, cell.hiddenSize]) as tf.Tensor3D;
  }
  if (!ragged) return { outputs, final: state };
  const final = initial.map((init, i) => stateAtLength(init, history[i], lengths as Int32Array));
  return { outputs, final };
}
