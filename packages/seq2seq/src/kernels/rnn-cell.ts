import { RNN_CELL_KERNEL } from '@seqloom/core';
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, callKernel } from './wasm-backend-internals.js';

/** The kernel name (@seqloom/core's kernel contract), re-exported for this module's users. */
export { RNN_CELL_KERNEL };

interface RnnCellArgs {
  inputs: { x: TensorInfo; r: TensorInfo };
  backend: unknown;
}

/**
 * A tanh RNN step's pointwise part, h' = tanh(x + r), as one wasm kernel on
 * the backend's vectorised `Add` and `Sigmoid` (tanh x = 2σ(2x) − 1; the stock
 * wasm `Tanh` is scalar and ~10× slower).
 */
export function makeRnnCellKernel(sigmoid: KernelConfig, add: KernelConfig): KernelConfig {
  const kernelFunc = (args: RnnCellArgs): TensorInfo => {
    const backend = asWasmBackend(args.backend);
    const z = callKernel(add, { a: args.inputs.x, b: args.inputs.r }, args.backend);
    {
      const zv = backend.typedArrayFromHeap(z) as Float32Array;
      for (let k = 0; k < zv.length; k++) zv[k] = 2 * zv[k]!;
    }
    const out = callKernel(sigmoid, { x: z }, args.backend);
    backend.disposeData(z.dataId);
    const ov = backend.typedArrayFromHeap(out) as Float32Array;
    for (let k = 0; k < ov.length; k++) ov[k] = 2 * ov[k]! - 1;
    return out;
  };
  return { kernelName: RNN_CELL_KERNEL, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
