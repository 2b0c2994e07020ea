import { backend_util, type KernelConfig, type KernelFunc, SplitV, type TensorInfo, Unpack, util } from '@tensorflow/tfjs';
import { sliceRegion } from './slice-rows.js';

interface UnpackArgs {
  inputs: { value: TensorInfo };
  attrs: { axis: number };
  backend: unknown;
}

interface SplitArgs {
  inputs: { x: TensorInfo };
  attrs: { numOrSizeSplits: number | number[]; axis: number | number[] };
  backend: unknown;
}

/**
 * `Unpack` (behind `tf.unstack`) built on the row-only slice: the stock wasm
 * kernel calls its own Slice directly, which copies the whole input per output.
 */
export function makeUnpackKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: UnpackArgs): TensorInfo[] => {
    const { value } = args.inputs;
    if (value.dtype === 'string') return stock.kernelFunc(args as never) as TensorInfo[];
    const rank = value.shape.length;
    const axis = args.attrs.axis < 0 ? args.attrs.axis + rank : args.attrs.axis;
    const outShape = value.shape.filter((_, d) => d !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[axis]!; i++) {
      begin[axis] = i;
      const out = sliceRegion(args.backend, value, begin, size);
      outs.push({ dataId: out.dataId, dtype: out.dtype, shape: outShape });
    }
    return outs;
  };
  return { kernelName: Unpack, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** `SplitV` (behind `tf.split`) built on the row-only slice. */
export function makeSplitKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: SplitArgs): TensorInfo[] => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return stock.kernelFunc(args as never) as TensorInfo[];
    const axis = util.parseAxisParam(args.attrs.axis, x.shape)[0]!;
    const sizes = backend_util.prepareSplitSize(x as never, args.attrs.numOrSizeSplits, axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[axis] = s;
      const out = sliceRegion(args.backend, x, begin, size);
      begin[axis] = begin[axis]! + s;
      return out;
    });
  };
  return { kernelName: SplitV, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
