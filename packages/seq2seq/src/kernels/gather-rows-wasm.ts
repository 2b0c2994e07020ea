import { GatherV2, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { makeGatherRowsKernel } from './gather-rows.js';
import { heapModule } from './heap-module.js';
import { asWasmBackend } from './wasm-backend-internals.js';
import { addTo, countDown, get, i32Load, memoryCopy, op, type WasmFunction } from './wasm-binary.js';

/**
 * `copy_rows(dst, src, ids, count, rowBytes)`: for each of the `count` int32
 * ids at `ids`, copies row `id` of `src` (rows of `rowBytes` bytes) to the
 * next row of `dst`, with `memory.copy`.
 */
function copyRowsFunction(): WasmFunction {
  const [DST, SRC, IDS, COUNT, ROW] = [0, 1, 2, 3, 4];
  return {
    name: 'copy_rows', params: 5, locals: [],
    body: countDown(COUNT, [
      ...get(DST), ...get(SRC), ...get(IDS), ...i32Load, ...get(ROW), op.i32Mul, op.i32Add, ...get(ROW), ...memoryCopy,
      ...addTo(DST, get(ROW)), ...addTo(IDS, [op.i32Const, 4]),
    ]),
  };
}

interface GatherArgs {
  inputs: { x: TensorInfo; indices: TensorInfo };
  attrs: { axis: number; batchDims: number };
  backend: object;
}

/**
 * `GatherV2` along axis 0 (embedding lookups, beam reordering) as one
 * `memory.copy` per index inside WebAssembly: the same result as
 * {@link makeGatherRowsKernel}, without a typed-array view per row. Other
 * axes, batch dims and strings use the stock kernel; the TypeScript row copy
 * runs when the backend's memory cannot be reached.
 */
export function makeGatherRowsWasmKernel(stock: KernelConfig): KernelConfig {
  const rowsKernel = makeGatherRowsKernel(stock).kernelFunc as unknown as (args: GatherArgs) => TensorInfo;
  const kernelFunc = (args: GatherArgs): TensorInfo => {
    const { x, indices } = args.inputs;
    const axis = x.shape.length === 0 ? 0 : util.parseAxisParam(args.attrs.axis, x.shape)[0]!;
    const copy = heapModule(args.backend, 'copy-rows', () => [copyRowsFunction()])?.['copy_rows'];
    if (copy === undefined || axis !== 0 || args.attrs.batchDims !== 0 || x.dtype === 'string' || x.shape.length === 0) return rowsKernel(args);
    const rows = x.shape[0]!;
    const width = util.sizeFromShape(x.shape.slice(1));
    const backend = asWasmBackend(args.backend);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const count = util.sizeFromShape(indices.shape);
    if (count === 0 || width === 0) return out;
    const ids = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < count; i++) {
      const row = ids[i]!;
      if (!(row >= 0 && row < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${row} at position ${i} is not in [0, ${rows - 1}]`);
      }
    }
    const src = backend.typedArrayFromHeap(x);
    copy(backend.typedArrayFromHeap(out).byteOffset, src.byteOffset, ids.byteOffset, count, width * src.BYTES_PER_ELEMENT);
    return out;
  };
  return { kernelName: GatherV2, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
