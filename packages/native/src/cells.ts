import { GRU_CELL_KERNEL, LSTM_CELL_GRAD_KERNEL, LSTM_CELL_KERNEL, RNN_CELL_KERNEL } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';

// Fused cell steps as functions over tfjs tensors. They run on the `native`
// backend (see registerNativeBackend) and have no gradient: they serve
// inference steps and hand-differentiated sequence code, with the tape off.

function requireNative(fn: string): void {
  const name = tf.getBackend();
  if (name !== 'native') throw new Error(`@seqloom/native ${fn}: the active tfjs backend is "${name}"; call tf.setBackend('native') first`);
}

/**
 * One LSTM step's pointwise part. x, r: [B, 4H] projected input and recurrent
 * product (biases included), gates [i, f, g, o]; c: [B, H].
 * Returns [h', c'], each [B, H].
 */
export function lstmCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  requireNative('lstmCell');
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, r, c }, { full: false }) as unknown as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * {@link lstmCell} returning what a backward step needs:
 * [h' [B, H], c' [B, H], activated gates [σi, σf, tanh g, σo] [B, 4H], tanh c' [B, H]].
 */
export function lstmCellFull(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  requireNative('lstmCellFull');
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, r, c }, { full: true }) as unknown as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
}

/** Row layout of {@link lstmCellGrad}'s `dy`. */
export interface LstmCellGradRows {
  /** First row of this step's h gradients in dy. */
  outRow: number;
  /** First row of the final-h gradients in dy; the final-c block follows that block ((D − finalRow)/2 rows each). */
  finalRow: number;
  /** Rows [0, carried) take dh/dc from dhNext/dcNext, the rest from the final blocks. */
  carried: number;
}

/**
 * One LSTM backward step over the n rows still running. act: [n, 4H] (from
 * lstmCellFull), cPrev: [≥n, H], tanhC: [n, H], dy: [D, H] (see
 * {@link LstmCellGradRows}), dhNext, dcNext: [≥carried, H].
 * Returns [dG [n, 4H] gate pre-activation gradients, dc_prev [n, H]].
 */
export function lstmCellGrad(
  act: tf.Tensor2D,
  cPrev: tf.Tensor2D,
  tanhC: tf.Tensor2D,
  dy: tf.Tensor2D,
  dhNext: tf.Tensor2D,
  dcNext: tf.Tensor2D,
  rows: LstmCellGradRows,
): [tf.Tensor2D, tf.Tensor2D] {
  requireNative('lstmCellGrad');
  const inputs = { act, cPrev, tanhC, dy, dhNext, dcNext };
  return tf.engine().runKernel(LSTM_CELL_GRAD_KERNEL, inputs, rows as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * One GRU step (PyTorch order [r, z, n], reset after the recurrent product).
 * x, r: [B, 3H] (r with its bias), h: [B, H]. Returns h' [B, H].
 */
export function gruCell(x: tf.Tensor2D, r: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  requireNative('gruCell');
  return tf.engine().runKernel(GRU_CELL_KERNEL, { x, r, h }, {}) as tf.Tensor2D;
}

/** One tanh-RNN step: h' = tanh(x + r), x and r of one shape ([B, H]). */
export function rnnCell(x: tf.Tensor2D, r: tf.Tensor2D): tf.Tensor2D {
  requireNative('rnnCell');
  return tf.engine().runKernel(RNN_CELL_KERNEL, { x, r }, {}) as tf.Tensor2D;
}
