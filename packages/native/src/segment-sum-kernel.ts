import { UnsortedSegmentSum, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { check, f32, output, type NativeBackend } from './backend-data.js';

interface SegmentSumArgs {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  attrs: { numSegments: number };
  backend: NativeBackend;
}

/**
 * `UnsortedSegmentSum` (the gradient of every embedding lookup,
 * `out[segmentIds[i], …] += x[i, …]`) in one pass over x's rows; the cpu
 * backend's version costs O(numSegments × size). Ids outside
 * [0, numSegments) are dropped (TensorFlow's semantics). Non-float32 inputs
 * run the stock kernel.
 */
export function makeSegmentSumKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: SegmentSumArgs): TensorInfo => {
    const { x, segmentIds } = args.inputs;
    if (x.dtype !== 'float32' || segmentIds.dtype !== 'int32') return (stock.kernelFunc as unknown as (a: SegmentSumArgs) => TensorInfo)(args);
    const k = UnsortedSegmentSum;
    const { numSegments } = args.attrs;
    check(Number.isInteger(numSegments) && numSegments >= 0, k, `numSegments must be a non-negative integer, got ${numSegments}`);
    check(segmentIds.shape.every((d, i) => d === x.shape[i]), k,
      `segmentIds [${segmentIds.shape.join(', ')}] must be a prefix of x's shape [${x.shape.join(', ')}]`);
    const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
    const inner = x.shape.slice(segmentIds.shape.length);
    const width = inner.reduce((a, b) => a * b, 1);
    const [out, values] = output(args.backend, [numSegments, ...inner]);
    const xv = f32(args.backend, x, k, 'x');
    const ids = args.backend.data.get(segmentIds.dataId)!.values as Int32Array;
    for (let r = 0; r < rows; r++) {
      const segment = ids[r]!;
      if (segment < 0 || segment >= numSegments) continue;
      const src = r * width;
      const dst = segment * width;
      for (let j = 0; j < width; j++) values[dst + j] = values[dst + j]! + xv[src + j]!;
    }
    return out;
  };
  return { kernelName: UnsortedSegmentSum, backendName: 'native', kernelFunc: kernelFunc as unknown as KernelFunc };
}
