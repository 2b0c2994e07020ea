import * as tf from '@tensorflow/tfjs';

/**
 * The slice of the wasm backend this kernel touches: its heap views and output
 * allocation (see tfjs-backend-wasm's `BackendWasm`).
 */
interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

interface SegmentSumArgs {
  inputs: { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  attrs: { numSegments: number };
  backend: unknown;
}

/**
 * `UnsortedSegmentSum` for the wasm backend, which does not ship one. It is
 * what `tf.gather` (and so every embedding lookup) needs for its gradient:
 * `out[segmentIds[i], ...] += x[i, ...]`. The loop runs over the rows of `x`
 * once, so the cost is O(rows × width) whatever the vocabulary size; the
 * output is zero-filled first.
 */
export function unsortedSegmentSumWasm(args: SegmentSumArgs): tf.TensorInfo {
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs;
  const backend = args.backend as WasmHeapBackend;
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(segmentIds.shape.length);
  const width = inner.reduce((a, b) => a * b, 1);
  const out = backend.makeOutput([numSegments, ...inner], x.dtype);
  // Views are taken after allocation: growing the heap detaches older views.
  const outValues = backend.typedArrayFromHeap(out);
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  outValues.fill(0);
  for (let r = 0; r < rows; r++) {
    const segment = ids[r];
    if (segment < 0 || segment >= numSegments) continue; // TF semantics: dropped
    const src = r * width;
    const dst = segment * width;
    for (let k = 0; k < width; k++) outValues[dst + k] += xValues[src + k];
  }
  return out;
}

/** Registers seqloom's `UnsortedSegmentSum` on wasm unless one is already there. */
export function registerUnsortedSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc,
  });
}
