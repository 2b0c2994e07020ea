import type { DataType, TensorInfo } from '@tensorflow/tfjs';

/**
 * The parts of `@tensorflow/tfjs-backend-wasm`'s `BackendWasm` that the
 * kernels in this folder use. Tensors live in the wasm heap; a typed-array
 * view of the heap is only valid until the next allocation (the heap may grow
 * and detach old views), so views are taken after every `makeOutput`.
 */
export interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

/** Casts the kernel's backend argument to the internals this folder uses. */
export function asWasmBackend(backend: unknown): WasmBackendInternals {
  return backend as WasmBackendInternals;
}

/** Runs another registered kernel (e.g. the backend's vectorised Sigmoid) from inside a kernel. */
export function callKernel(
  kernel: { kernelFunc: unknown },
  inputs: Record<string, TensorInfo>,
  backend: unknown,
  attrs: Record<string, unknown> = {},
): TensorInfo {
  const run = kernel.kernelFunc as (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs: Record<string, unknown> }) => TensorInfo;
  return run({ inputs, backend, attrs });
}
