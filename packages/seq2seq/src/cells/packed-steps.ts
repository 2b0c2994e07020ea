import * as tf from '@tensorflow/tfjs';
import { rowRange } from '../kernels/packed-rows.js';

// Helpers shared by the packed sequence ops (lstmSequence, gruSequence,
// rnnSequence): step t runs the `active[t]` leading rows of the sorted batch.
// The row ranges themselves (leadingRows, rowRange, carriedGrad) are in
// kernels/packed-rows.ts, where the reference kernels use them too.

/** Start row of each step's block in the packed rows. */
export function stepOffsets(active: Int32Array): Int32Array {
  const offsets = new Int32Array(active.length);
  for (let t = 1; t < active.length; t++) offsets[t] = offsets[t - 1]! + active[t - 1]!;
  return offsets;
}

/**
 * Each sorted row's state after its last step ([B, H]): rows
 * [active[t+1], active[t]) end at step t; rows past active[0] never ran and
 * keep `initial`.
 */
export function finalRows(states: tf.Tensor2D[], initial: tf.Tensor2D, active: Int32Array): tf.Tensor2D {
  const pieces: tf.Tensor2D[] = [];
  for (let t = states.length - 1; t >= 0; t--) pieces.push(...rowRange(states[t]!, active[t + 1] ?? 0, active[t]!));
  pieces.push(...rowRange(initial, active[0] ?? 0, initial.shape[0]));
  return pieces.length === 1 ? pieces[0]! : (tf.concat(pieces, 0) as tf.Tensor2D);
}

/** Gradient of the initial state: rows that ran take `next`, rows that never ran their final-state gradient. */
export function initialGrad(next: tf.Tensor2D, dy: tf.Tensor2D, finalStart: number, rows: number): tf.Tensor2D {
  const ran = next.shape[0];
  if (ran === rows) return next;
  return tf.concat([next, tf.slice(dy, [finalStart + ran, 0], [rows - ran, -1])], 0) as tf.Tensor2D;
}
