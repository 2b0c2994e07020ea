import { type KernelConfig, type KernelFunc, Slice, slice_util, type TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasm-backend-internals.js';

interface SliceArgs {
  inputs: { x: TensorInfo };
  attrs: { begin: number | number[]; size: number | number[] };
  backend: unknown;
}

/**
 * Copies the selected region of `x` into `out` straight from one heap view to
 * another. Trailing dimensions that are taken whole merge into one contiguous
 * run, so `split`/`unstack` along the first axes become a few `set` calls.
 */
export function copyRegion(
  src: Float32Array | Int32Array | Uint8Array,
  dst: Float32Array | Int32Array | Uint8Array,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): void {
  const rank = shape.length;
  // innermost axis `lead` such that every axis after it is taken whole
  let lead = rank - 1;
  while (lead > 0 && size[lead] === shape[lead]) lead -= 1;
  let run = 1;
  for (let d = lead; d < rank; d++) run *= size[d]!;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  const index = new Array<number>(lead).fill(0); // counter over the outer axes
  const runs = dst.length / Math.max(run, 1);
  for (let r = 0, outOffset = 0; r < runs; r++, outOffset += run) {
    let offset = begin[lead]! * strides[lead]!;
    for (let d = 0; d < lead; d++) offset += (begin[d]! + index[d]!) * strides[d]!;
    dst.set(src.subarray(offset, offset + run), outOffset);
    for (let d = lead - 1; d >= 0; d--) {
      index[d] = index[d]! + 1;
      if (index[d]! < size[d]!) break;
      index[d] = 0;
    }
  }
}

/** A new wasm tensor holding the region `begin`/`size` of `x` (numeric dtypes). */
export function sliceRegion(wasmBackend: unknown, x: TensorInfo, begin: readonly number[], size: number[]): TensorInfo {
  const backend = asWasmBackend(wasmBackend);
  const out = backend.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  // views taken after makeOutput: allocation may have grown the heap
  copyRegion(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(out), x.shape, begin, size);
  return out;
}

/**
 * A `Slice` kernel for the wasm backend that reads only the rows it returns.
 * The stock kernel copies the whole input out of wasm memory for every slice,
 * which makes `split`/`unstack` over a sequence quadratic in its length.
 * String tensors go to the stock kernel.
 */
export function makeSliceKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: SliceArgs): TensorInfo => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock.kernelFunc(args as never) as TensorInfo;
    const [begin, size] = slice_util.parseSliceParams(x as never, args.attrs.begin, args.attrs.size);
    return sliceRegion(args.backend, x, begin, size);
  };
  return { kernelName: Slice, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
