import { type KernelConfig, PadV2, type TensorInfo } from '@tensorflow/tfjs';
import { filledOutput, type NativeBackend, output } from './backend-data.js';
import { nativeKernel, type Stock, stockKernel } from './kernel-config.js';

// `PadV2` (constant padding; also the gradient of every `Slice`) as row
// copies into a filled output; the cpu backend's version computes a
// multi-dimensional index per element. float32 only; other dtypes run the
// stock kernel.

interface PadArgs {
  inputs: { x: TensorInfo };
  attrs: { paddings: Array<[number, number]>; constantValue: number };
  backend: NativeBackend;
}

function pad(stock: Stock) {
  return (args: PadArgs): TensorInfo => {
    const { x } = args.inputs;
    const { paddings, constantValue } = args.attrs;
    const xv = args.backend.data.get(x.dataId)?.values;
    const rank = x.shape.length;
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || rank === 0 || paddings.length !== rank) return stock(args);
    const shape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
    const [out, ov] = constantValue === 0 ? output(args.backend, shape) : filledOutput(args.backend, shape);
    if (constantValue !== 0) ov.fill(constantValue);
    if (xv.length === 0) return out;
    const outStrides = new Array<number>(rank);
    for (let d = rank - 1, s = 1; d >= 0; d--) {
      outStrides[d] = s;
      s *= shape[d]!;
    }
    const last = x.shape[rank - 1]!;
    let base = paddings.reduce((total, [before], d) => total + before * outStrides[d]!, 0); // where x's first row lands
    const counter = new Array<number>(rank).fill(0);
    for (let src = 0; src < xv.length; src += last) {
      ov.set(xv.subarray(src, src + last), base);
      for (let d = rank - 2; d >= 0; d--) {
        // odometer over x's outer axes
        counter[d]!++;
        base += outStrides[d]!;
        if (counter[d]! < x.shape[d]!) break;
        base -= outStrides[d]! * x.shape[d]!;
        counter[d] = 0;
      }
    }
    return out;
  };
}

/** The native backend's PadV2, falling back to the stock kernel. */
export function makePadKernel(stock: Map<string, KernelConfig>): KernelConfig {
  return nativeKernel(PadV2, pad(stockKernel(stock, PadV2)));
}
