import { GatherV2, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { type GatherArgs, makeGatherRowsKernel, planRowGather } from './gather-rows.js';
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
    name: 'copy_rows',
    params: 5,
    locals: [],
    body: countDown(COUNT, [
      ...get(DST),
      ...get(SRC),
      ...get(IDS),
      ...i32Load,
      ...get(ROW),
      op.i32Mul,
      op.i32Add,
      ...get(ROW),
      ...memoryCopy,
      ...addTo(DST, get(ROW)),
      ...addTo(IDS, [op.i32Const, 4]),
    ]),
  };
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
    const copy = heapModule(args.backend as object, 'copy-rows', () => [copyRowsFunction()])?.['copy_rows'];
    if (copy === undefined) return rowsKernel(args);
    const plan = planRowGather(args);
    if (plan === null) return stock.kernelFunc(args as never) as TensorInfo;
    const { out, ids, width, count } = plan;
    if (count === 0 || width === 0) return out;
    const backend = asWasmBackend(args.backend);
    const src = backend.typedArrayFromHeap(args.inputs.x);
    copy(backend.typedArrayFromHeap(out).byteOffset, src.byteOffset, ids.byteOffset, count, width * src.BYTES_PER_ELEMENT);
    return out;
  };
  return { kernelName: GatherV2, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
