import { GRU_CELL_KERNEL, LSTM_CELL_GRAD_KERNEL, LSTM_CELL_KERNEL, RNN_CELL_KERNEL } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import type { LstmCellGradAttrs, LstmCellGradInputs, SeqKernels } from './kernel-set.js';

/** `SeqloomLstmCell`: [h', c'], and with `full` the gates and tanh c'. */
function lstmCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D, full: boolean): tf.Tensor2D[] {
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, r, c }, { full }) as unknown as tf.Tensor2D[];
}

function lstmCellGrad(inputs: LstmCellGradInputs, attrs: LstmCellGradAttrs): [tf.Tensor2D, tf.Tensor2D] {
  const named = inputs as unknown as tf.NamedTensorMap;
  return tf.engine().runKernel(LSTM_CELL_GRAD_KERNEL, named, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * A kernel set that runs seqloom's fused cell kernels by their contract names
 * (`SeqloomLstmCell`, `SeqloomLstmCellGrad`, `SeqloomGruCell`,
 * `SeqloomRnnCell`) and `UnsortedSegmentSum`, for a backend that registers
 * them all: the wasm backend (after `installWasmKernels`) and the native
 * engine's backend. Forward only: none has a tfjs gradient.
 */
export function fusedKernelSet(name: string): SeqKernels {
  return {
    name,
    lstmCell: (x, r, c) => lstmCell(x, r, c, false) as [tf.Tensor2D, tf.Tensor2D],
    lstmCellFull: (x, r, c) => lstmCell(x, r, c, true) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D],
    lstmCellGrad,
    gruCell: (x, r, h) => tf.engine().runKernel(GRU_CELL_KERNEL, { x, r, h }, {}) as tf.Tensor2D,
    rnnCell: (x, r) => tf.engine().runKernel(RNN_CELL_KERNEL, { x, r }, {}) as tf.Tensor2D,
    segmentSum: (dy, ids, rows) => tf.unsortedSegmentSum(dy, ids, rows) as tf.Tensor2D,
  };
}
