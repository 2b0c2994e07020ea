import { type KernelConfig, type TensorInfo, UnsortedSegmentSum } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { check, f32, filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

interface SegmentSumArgs {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  attrs: { numSegments: number };
  backend: NativeBackend;
}

/**
 * `UnsortedSegmentSum` (the gradient of every embedding lookup,
 * `out[segmentIds[i], …] += x[i, …]`) in one pass over x's rows in the
 * addon; the cpu
 * backend's version costs O(numSegments × size). Ids outside
 * [0, numSegments) are dropped (TensorFlow's semantics). Non-float32 inputs
 * run the stock kernel.
 */
export function makeSegmentSumKernel(addon: NativeAddon, stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: SegmentSumArgs): TensorInfo => {
    const { x, segmentIds } = args.inputs;
    if (x.dtype !== 'float32' || segmentIds.dtype !== 'int32') return (stock.kernelFunc as unknown as (a: SegmentSumArgs) => TensorInfo)(args);
    const k = UnsortedSegmentSum;
    const { numSegments } = args.attrs;
    check(Number.isInteger(numSegments) && numSegments >= 0, k, `numSegments must be a non-negative integer, got ${numSegments}`);
    check(
      segmentIds.shape.every((d, i) => d === x.shape[i]),
      k,
      `segmentIds [${segmentIds.shape.join(', ')}] must be a prefix of x's shape [${x.shape.join(', ')}]`,
    );
    const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
    const inner = x.shape.slice(segmentIds.shape.length);
    const width = inner.reduce((a, b) => a * b, 1);
    const [out, values] = filledOutput(args.backend, [numSegments, ...inner]); // the addon zeroes it
    const ids = args.backend.data.get(segmentIds.dataId)!.values as Int32Array;
    check(ids.length === rows, k, `segmentIds has ${ids.length} values, its shape needs ${rows}`);
    if (width > 0) addon.segmentSum(ids, f32(args.backend, x, k, 'x'), width, values);
    return out;
  };
  return nativeKernel(UnsortedSegmentSum, kernelFunc);
}
