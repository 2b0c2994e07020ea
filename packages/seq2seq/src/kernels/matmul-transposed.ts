import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, callKernel } from './wasm-backend-internals.js';

interface MatMulArgs {
  inputs: Record<string, TensorInfo>;
  attrs: Record<string, unknown> & { transposeA: boolean; transposeB: boolean };
  backend: unknown;
}

/** Swaps the last two axes with the backend's own Transpose kernel. */
function swapLastAxes(x: TensorInfo, transpose: KernelConfig, backend: unknown): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return callKernel(transpose, { x }, backend, { perm });
}

/**
 * Wraps a wasm matMul kernel (`BatchMatMul` or `_FusedMatMul`) so that it
 * never runs with a transposed operand. The wasm backend computes those forms
 * in a naive loop (~1–3 GFLOP/s against 15–35 for the plain form), and
 * matMul's gradient uses exactly them; an explicit transpose (one copy) and
 * the plain kernel is an order of magnitude faster.
 */
export function makeUntransposedMatMulKernel(stock: KernelConfig, transpose: KernelConfig): KernelConfig {
  const kernelFunc = (args: MatMulArgs): TensorInfo => {
    const { transposeA, transposeB } = args.attrs;
    if (!transposeA && !transposeB) return stock.kernelFunc(args as never) as TensorInfo;
    const backend = asWasmBackend(args.backend);
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const a2 = transposeA ? swapLastAxes(a, transpose, args.backend) : a;
    const b2 = transposeB ? swapLastAxes(b, transpose, args.backend) : b;
    try {
      return stock.kernelFunc({
        ...args,
        inputs: { ...args.inputs, a: a2, b: b2 },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      } as never) as TensorInfo;
    } finally {
      if (a2 !== a) backend.disposeData(a2.dataId);
      if (b2 !== b) backend.disposeData(b2.dataId);
    }
  };
  return { ...stock, kernelFunc: kernelFunc as unknown as KernelFunc };
}
