import * as tf from '@tensorflow/tfjs';
import { GRU_CELL_KERNEL } from './gru-cell.js';
import type { LstmCellGradAttrs, LstmCellGradInputs, SeqKernels } from './kernel-set.js';
import { LSTM_CELL_GRAD_KERNEL } from './lstm-cell-grad.js';
import { LSTM_CELL_KERNEL } from './lstm-cell-wasm.js';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { RNN_CELL_KERNEL } from './rnn-cell.js';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** `SeqloomLstmCell`: [h', c'], and with `full` the gates and tanh c'. */
function lstmCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D, full: boolean): tf.Tensor2D[] {
  return tf.engine().runKernel(LSTM_CELL_KERNEL, { x, r, c }, { full }) as unknown as tf.Tensor2D[];
}

function lstmCellGrad(inputs: LstmCellGradInputs, attrs: LstmCellGradAttrs): [tf.Tensor2D, tf.Tensor2D] {
  const named = inputs as unknown as tf.NamedTensorMap;
  return tf.engine().runKernel(LSTM_CELL_GRAD_KERNEL, named, attrs as unknown as tf.NamedAttrMap) as unknown as [tf.Tensor2D, tf.Tensor2D];
}

/**
 * A kernel set that runs seqloom's fused kernels by their tfjs names
 * (`SeqloomLstmCell`, `SeqloomLstmCellGrad`, `SeqloomGruCell`,
 * `SeqloomRnnCell`) and `UnsortedSegmentSum`, for a backend that registers
 * them all: the wasm backend (after {@link installWasmKernels}) and the native
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

/** The wasm kernel set: {@link fusedKernelSet} on the wasm backend. */
export const wasmKernels: SeqKernels = fusedKernelSet('wasm');

/**
 * What the wasm backend needs before {@link wasmKernels} run: the fused cell
 * kernels, seqloom's replacements of slow stock kernels, and
 * `UnsortedSegmentSum`. Idempotent.
 */
export function installWasmKernels(): void {
  registerUnsortedSegmentSum();
  registerSeqloomWasmKernels();
}
