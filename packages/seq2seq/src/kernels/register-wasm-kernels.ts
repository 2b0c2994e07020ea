import '@tensorflow/tfjs-backend-wasm';
import {
  _FusedMatMul,
  Add,
  BatchMatMul,
  GatherV2,
  getKernel,
  Identity,
  type KernelConfig,
  registerKernel,
  Sigmoid,
  Slice,
  SplitV,
  Transpose,
  Unpack,
  unregisterKernel,
} from '@tensorflow/tfjs';
import { makeGatherRowsWasmKernel } from './gather-rows-wasm.js';
import { GRU_CELL_KERNEL, makeGruCellKernel } from './gru-cell.js';
import { LSTM_CELL_GRAD_KERNEL, makeLstmCellGradKernel } from './lstm-cell-grad.js';
import { LSTM_CELL_KERNEL, makeLstmCellWasmKernel } from './lstm-cell-wasm.js';
import { makeUntransposedMatMulKernel } from './matmul-transposed.js';
import { makeRnnCellKernel, RNN_CELL_KERNEL } from './rnn-cell.js';
import { makeSharedIdentityKernel } from './shared-identity.js';
import { makeSliceKernel } from './slice-rows.js';
import { makeSplitKernel, makeUnpackKernel } from './split-rows.js';

const marker = Symbol.for('seqloom.wasmKernel');
type Marked = KernelConfig & { [marker]?: true };

function replace(name: string, build: (stock: KernelConfig) => KernelConfig): void {
  const stock = getKernel(name, 'wasm') as Marked | undefined;
  if (stock === undefined || stock[marker]) return; // absent, or already ours
  const next: Marked = { ...build(stock), kernelName: name, backendName: 'wasm' };
  // the stock setup binds the wasm function the wrapped kernel calls
  if (stock.setupFunc !== undefined) next.setupFunc = stock.setupFunc;
  next[marker] = true;
  unregisterKernel(name, 'wasm');
  registerKernel(next);
}

/**
 * Replaces wasm-backend kernels that are slow on recurrent-network workloads:
 * `BatchMatMul` and `_FusedMatMul` with a transposed operand (explicit
 * transpose, then the fast plain kernel) and `Slice`, `Unpack` (`unstack`) and
 * `SplitV` (`split`), which copy only the selected region instead of the whole
 * input per output, `GatherV2` along axis 0 (one row copy per index), and
 * `Identity` (`tf.clone`, tensors saved for a backward pass), which shares
 * its input's data instead of copying it.
 * Results are identical to the stock
 * kernels'. Also adds the fused LSTM-, GRU- and RNN-cell kernels (`SeqloomLstmCell`,
 * `SeqloomGruCell`, `SeqloomRnnCell`) used by inference steps and recurrent forward passes,
 * and the fused LSTM backward step (`SeqloomLstmCellGrad`), which the wasm
 * kernel set (`wasmKernels`) calls. `setBackend('wasm')` runs it; call it
 * yourself only with a plain `tf.setBackend`. Idempotent; before or after
 * `tf.setBackend('wasm')`.
 */
export function registerSeqloomWasmKernels(): void {
  const transpose = getKernel(Transpose, 'wasm');
  if (transpose === undefined) {
    throw new Error(
      'registerSeqloomWasmKernels: the wasm backend has no Transpose kernel; ' +
        'install @tensorflow/tfjs-backend-wasm 4.22.0 next to @tensorflow/tfjs 4.22.0.',
    );
  }
  replace(BatchMatMul, (stock) => makeUntransposedMatMulKernel(stock, transpose));
  replace(_FusedMatMul, (stock) => makeUntransposedMatMulKernel(stock, transpose));
  replace(Slice, makeSliceKernel);
  replace(Unpack, makeUnpackKernel);
  replace(SplitV, makeSplitKernel);
  replace(GatherV2, makeGatherRowsWasmKernel);
  replace(Identity, makeSharedIdentityKernel);
  const sigmoid = getKernel(Sigmoid, 'wasm');
  const add = getKernel(Add, 'wasm');
  if (sigmoid === undefined || add === undefined) return;
  if (getKernel(LSTM_CELL_KERNEL, 'wasm') === undefined) registerKernel(makeLstmCellWasmKernel());
  if (getKernel(LSTM_CELL_GRAD_KERNEL, 'wasm') === undefined) registerKernel(makeLstmCellGradKernel());
  if (getKernel(GRU_CELL_KERNEL, 'wasm') === undefined) registerKernel(makeGruCellKernel(sigmoid));
  if (getKernel(RNN_CELL_KERNEL, 'wasm') === undefined) registerKernel(makeRnnCellKernel(sigmoid, add));
}
