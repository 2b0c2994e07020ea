import { GatherV2, type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs';
import { asWasmBackend } from './wasm-backend-internals.js';

export interface GatherArgs {
  inputs: { x: TensorInfo; indices: TensorInfo };
  attrs: { axis: number; batchDims: number };
  backend: unknown;
}

/** A row gather's output (allocated) and its checked indices; null when the stock kernel must run. */
export interface RowGather {
  out: TensorInfo;
  /** The indices, every one checked to lie in [0, rows). */
  ids: Int32Array;
  width: number;
  count: number;
}

/**
 * Plans `GatherV2` along axis 0 as row copies: null for other axes, batch dims,
 * strings and scalars (the stock kernel's cases); else the output tensor and
 * the indices, which are checked first (a bad one frees the output and throws).
 */
export function planRowGather(args: GatherArgs): RowGather | null {
  const { x, indices } = args.inputs;
  const axis = x.shape.length === 0 ? 0 : util.parseAxisParam(args.attrs.axis, x.shape)[0]!;
  if (axis !== 0 || args.attrs.batchDims !== 0 || x.dtype === 'string' || x.shape.length === 0) return null;
  const rows = x.shape[0]!;
  const width = util.sizeFromShape(x.shape.slice(1));
  const backend = asWasmBackend(args.backend);
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const count = util.sizeFromShape(indices.shape);
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  for (let i = 0; i < count; i++) {
    const row = ids[i]!;
    if (!(row >= 0 && row < rows)) {
      backend.disposeData(out.dataId);
      throw new Error(`GatherV2: the index value ${row} at position ${i} is not in [0, ${rows - 1}]`);
    }
  }
  return { out, ids, width, count };
}

/**
 * `GatherV2` along axis 0 (embedding lookups, beam reordering) as one
 * contiguous row copy per index, heap to heap. The stock wasm kernel walks
 * every element with full index arithmetic, which made reordering 320 beam
 * states cost milliseconds. Other axes, batch dims and strings use the stock
 * kernel.
 */
export function makeGatherRowsKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: GatherArgs): TensorInfo => {
    const plan = planRowGather(args);
    if (plan === null) return stock.kernelFunc(args as never) as TensorInfo;
    const { out, ids, width, count } = plan;
    if (count === 0 || width === 0) return out;
    const backend = asWasmBackend(args.backend);
    // views taken after makeOutput: allocation may have grown the heap
    const src = backend.typedArrayFromHeap(args.inputs.x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < count; i++) dst.set(src.subarray(ids[i]! * width, (ids[i]! + 1) * width), i * width);
    return out;
  };
  return { kernelName: GatherV2, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
