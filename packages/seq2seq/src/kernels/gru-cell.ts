import { GRU_CELL_KERNEL } from '@seqloom/core';
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, callKernel } from './wasm-backend-internals.js';

/** The kernel name (@seqloom/core's kernel contract), re-exported for this module's users. */
export { GRU_CELL_KERNEL };

interface GruCellArgs {
  inputs: { x: TensorInfo; r: TensorInfo; h: TensorInfo };
  backend: unknown;
}

/**
 * The pointwise part of a GRU step (PyTorch order [r, z, n], reset after the
 * recurrent projection) as one wasm kernel: from the projected input `x` and
 * the recurrent product with its bias `r` ([B, 3H]) and `h` ([B, H]), returns
 * h' = n + z·(h − n), n = tanh(x_n + σ(x_r + r_r)·r_n), z = σ(x_z + r_z).
 * Nonlinearities run on the backend's vectorised `Sigmoid` (tanh x = 2σ(2x) − 1).
 */
export function makeGruCellKernel(sigmoid: KernelConfig): KernelConfig {
  const kernelFunc = (args: GruCellArgs): TensorInfo => {
    const backend = asWasmBackend(args.backend);
    const { x, r, h } = args.inputs;
    const [rows, width] = x.shape as [number, number];
    const hidden = width / 3;
    const resetUpdate = backend.makeOutput([rows, 2 * hidden], 'float32');
    {
      const xv = backend.typedArrayFromHeap(x) as Float32Array;
      const rv = backend.typedArrayFromHeap(r) as Float32Array;
      const zv = backend.typedArrayFromHeap(resetUpdate) as Float32Array;
      for (let b = 0; b < rows; b++) {
        for (let j = 0; j < 2 * hidden; j++) zv[b * 2 * hidden + j] = xv[b * width + j]! + rv[b * width + j]!;
      }
    }
    const gates = callKernel(sigmoid, { x: resetUpdate }, args.backend);
    backend.disposeData(resetUpdate.dataId);
    const candidate = backend.makeOutput([rows, hidden], 'float32');
    {
      const xv = backend.typedArrayFromHeap(x) as Float32Array;
      const rv = backend.typedArrayFromHeap(r) as Float32Array;
      const s = backend.typedArrayFromHeap(gates) as Float32Array;
      const cv = backend.typedArrayFromHeap(candidate) as Float32Array;
      for (let b = 0; b < rows; b++) {
        for (let j = 0; j < hidden; j++) {
          const k = b * width + 2 * hidden + j;
          cv[b * hidden + j] = 2 * (xv[k]! + s[b * 2 * hidden + j]! * rv[k]!);
        }
      }
    }
    const squashed = callKernel(sigmoid, { x: candidate }, args.backend);
    backend.disposeData(candidate.dataId);
    const out = backend.makeOutput([rows, hidden], 'float32');
    {
      const s = backend.typedArrayFromHeap(gates) as Float32Array;
      const sq = backend.typedArrayFromHeap(squashed) as Float32Array;
      const hv = backend.typedArrayFromHeap(h) as Float32Array;
      const ov = backend.typedArrayFromHeap(out) as Float32Array;
      for (let b = 0; b < rows; b++) {
        for (let j = 0; j < hidden; j++) {
          const n = 2 * sq[b * hidden + j]! - 1;
          ov[b * hidden + j] = n + s[b * 2 * hidden + hidden + j]! * (hv[b * hidden + j]! - n);
        }
      }
    }
    backend.disposeData(gates.dataId);
    backend.disposeData(squashed.dataId);
    return out;
  };
  return { kernelName: GRU_CELL_KERNEL, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
