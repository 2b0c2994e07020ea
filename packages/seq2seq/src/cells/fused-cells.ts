import * as tf from '@tensorflow/tfjs';
import { GRU_CELL_KERNEL } from '../kernels/gru-cell.js';
import { LSTM_CELL_KERNEL } from '../kernels/lstm-cell.js';
import { RNN_CELL_KERNEL } from '../kernels/rnn-cell.js';

/**
 * True when the current backend has seqloom's fused LSTM-cell kernel (wasm
 * after `registerSeqloomWasmKernels`) and no gradient tape is recording (the
 * kernel has no gradient: it serves inference steps and the forward pass of
 * the hand-differentiated sequence ops, which run with the tape off).
 */
export function canFuseLstmCell(): boolean {
  return tf.getKernel(LSTM_CELL_KERNEL, tf.getBackend()) !== undefined && !tf.engine().isTapeOn();
}

/** `[h', c']` of an LSTM step from the projected input and recurrent product ([B, 4H]) and c ([B, H]). */
export function fusedLstmCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, r, c }, { full: false }) as unknown as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * The same step returning what a backward pass needs:
 * `[h', c', activated gates [σi, σf, tanh g, σo] ([B, 4H]), tanh c']`.
 */
export function fusedLstmCellFull(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D] {
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, r, c }, { full: true }) as unknown as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
}

/** True when the current backend has the fused GRU-cell kernel and no gradient tape records. */
export function canFuseGruCell(): boolean {
  return tf.getKernel(GRU_CELL_KERNEL, tf.getBackend()) !== undefined && !tf.engine().isTapeOn();
}

/** h' of a GRU step from the projected input `x`, the recurrent product with its bias `r` ([B, 3H]) and h ([B, H]). */
export function fusedGruCell(x: tf.Tensor2D, r: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.engine().runKernel(GRU_CELL_KERNEL, { x, r, h }, {}) as tf.Tensor2D;
}

/** True when the current backend has the fused RNN-cell kernel and no gradient tape records. */
export function canFuseRnnCell(): boolean {
  return tf.getKernel(RNN_CELL_KERNEL, tf.getBackend()) !== undefined && !tf.engine().isTapeOn();
}

/** h' = tanh(x + r) of a tanh-RNN step ([B, H] each) as one kernel. */
export function fusedRnnCell(x: tf.Tensor2D, r: tf.Tensor2D): tf.Tensor2D {
  return tf.engine().runKernel(RNN_CELL_KERNEL, { x, r }, {}) as tf.Tensor2D;
}
