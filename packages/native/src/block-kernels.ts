import { Concat, type KernelConfig, Slice, Softmax, SplitV, type TensorInfo } from '@tensorflow/tfjs';
import { filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel, type Stock, stockKernel } from './kernel-config.js';

// Kernels that cut or join tensors along an inner axis, as block copies:
// along axis a, a tensor is `outer` blocks of (extent along a) × inner
// elements. The cpu backend's versions index every element for any axis but
// the first. float32 and int32 run here; other dtypes run the stock kernel.

type Values = Float32Array | Int32Array;
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function read(backend: NativeBackend, info: TensorInfo): Values | undefined {
  const v = backend.data.get(info.dataId)?.values;
  return v instanceof Float32Array || v instanceof Int32Array ? v : undefined;
}

function make(backend: NativeBackend, shape: number[], dtype: string): [TensorInfo, Values] {
  if (dtype === 'float32') return filledOutput(backend, shape); // split, concat and slice copy every element
  const v = new Int32Array(size(shape));
  return [backend.makeTensorInfo(shape, 'int32', v), v];
}

interface SplitArgs {
  inputs: { x: TensorInfo };
  attrs: { numOrSizeSplits: number | number[]; axis: number };
  backend: NativeBackend;
}

function splitV(stock: Stock) {
  return (args: SplitArgs): TensorInfo[] => {
    const { x } = args.inputs;
    const xv = read(args.backend, x);
    const rank = x.shape.length;
    if (xv === undefined || rank === 0) return stock(args) as unknown as TensorInfo[];
    const axis = args.attrs.axis < 0 ? args.attrs.axis + rank : args.attrs.axis;
    const dim = x.shape[axis]!;
    const given = args.attrs.numOrSizeSplits;
    const sizes = Array.isArray(given) ? [...given] : new Array<number>(given).fill(dim / given);
    const unknown = sizes.indexOf(-1);
    if (unknown >= 0) sizes[unknown] = dim - sizes.reduce((a, b) => a + (b === -1 ? 0 : b), 0);
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, b) => a + b, 0) !== dim) return stock(args) as unknown as TensorInfo[];
    const outer = size(x.shape.slice(0, axis));
    const inner = size(x.shape.slice(axis + 1));
    let offset = 0;
    return sizes.map((s) => {
      const shape = [...x.shape];
      shape[axis] = s;
      const [out, ov] = make(args.backend, shape, x.dtype);
      const block = s * inner;
      for (let o = 0; o < outer; o++) ov.set(xv.subarray(o * dim * inner + offset, o * dim * inner + offset + block), o * block);
      offset += block;
      return out;
    });
  };
}

interface ConcatArgs {
  inputs: TensorInfo[];
  attrs: { axis: number };
  backend: NativeBackend;
}

function concat(stock: Stock) {
  return (args: ConcatArgs): TensorInfo => {
    const parts = args.inputs.filter((t) => size(t.shape) > 0);
    const first = parts[0];
    const values = parts.map((t) => read(args.backend, t));
    if (first === undefined || values.some((v) => v === undefined) || parts.some((t) => t.dtype !== first.dtype || t.shape.length !== first.shape.length)) {
      return stock(args);
    }
    const rank = first.shape.length;
    const axis = args.attrs.axis < 0 ? args.attrs.axis + rank : args.attrs.axis;
    if (parts.some((t) => t.shape.some((d, i) => i !== axis && d !== first.shape[i]))) return stock(args);
    const shape = [...first.shape];
    shape[axis] = parts.reduce((a, t) => a + t.shape[axis]!, 0);
    const [out, ov] = make(args.backend, shape, first.dtype);
    const outer = size(first.shape.slice(0, axis));
    const inner = size(first.shape.slice(axis + 1));
    const row = shape[axis]! * inner;
    let offset = 0;
    parts.forEach((t, k) => {
      const block = t.shape[axis]! * inner;
      const v = values[k]!;
      for (let o = 0; o < outer; o++) ov.set(v.subarray(o * block, (o + 1) * block), o * row + offset);
      offset += block;
    });
    return out;
  };
}

interface SliceArgs {
  inputs: { x: TensorInfo };
  attrs: { begin: number | number[]; size: number | number[] };
  backend: NativeBackend;
}

function slice(stock: Stock) {
  return (args: SliceArgs): TensorInfo => {
    const { x } = args.inputs;
    const xv = read(args.backend, x);
    const rank = x.shape.length;
    const begin = Array.isArray(args.attrs.begin) ? args.attrs.begin : [args.attrs.begin];
    const given = Array.isArray(args.attrs.size) ? args.attrs.size : [args.attrs.size];
    if (xv === undefined || rank === 0 || begin.length !== rank || given.length !== rank) return stock(args);
    const extent = given.map((s, i) => (s === -1 ? x.shape[i]! - begin[i]! : s));
    if (extent.some((s, i) => s < 0 || begin[i]! < 0 || begin[i]! + s > x.shape[i]!)) return stock(args);
    const [out, ov] = make(args.backend, extent, x.dtype);
    const strides = new Array<number>(rank);
    for (let d = rank - 1, s = 1; d >= 0; d--) {
      strides[d] = s;
      s *= x.shape[d]!;
    }
    const last = extent[rank - 1]!;
    const counter = new Array<number>(rank).fill(0);
    let base = begin.reduce((a, b, d) => a + b * strides[d]!, 0);
    for (let o = 0; o < ov.length; o += last) {
      ov.set(xv.subarray(base, base + last), o);
      for (let d = rank - 2; d >= 0; d--) {
        counter[d]!++;
        base += strides[d]!;
        if (counter[d]! < extent[d]!) break;
        base -= strides[d]! * extent[d]!;
        counter[d] = 0;
      }
    }
    return out;
  };
}

interface SoftmaxArgs {
  inputs: { logits: TensorInfo };
  attrs: { dim: number };
  backend: NativeBackend;
}

function softmax(stock: Stock) {
  return (args: SoftmaxArgs): TensorInfo => {
    const { logits } = args.inputs;
    const v = read(args.backend, logits);
    const rank = logits.shape.length;
    const dim = args.attrs.dim < 0 ? args.attrs.dim + rank : args.attrs.dim;
    if (!(v instanceof Float32Array) || rank === 0 || dim !== rank - 1) return stock(args);
    const width = logits.shape[rank - 1]!;
    const [out, ov] = filledOutput(args.backend, [...logits.shape]);
    for (let r = 0; r < v.length; r += width) {
      let max = -Infinity;
      for (let j = 0; j < width; j++) max = Math.max(max, v[r + j]!);
      let total = 0;
      for (let j = 0; j < width; j++) {
        const e = Math.exp(v[r + j]! - max);
        ov[r + j] = e;
        total += e;
      }
      for (let j = 0; j < width; j++) ov[r + j] = ov[r + j]! / total;
    }
    return out;
  };
}

/** The native backend's SplitV, Concat, Slice and Softmax (last axis), falling back to `stock` by name. */
export function makeBlockKernels(stock: Map<string, KernelConfig>): KernelConfig[] {
  const fallback = (name: string): Stock => stockKernel(stock, name);
  const config = nativeKernel;
  return [
    config(SplitV, splitV(fallback(SplitV))),
    config(Concat, concat(fallback(Concat))),
    config(Slice, slice(fallback(Slice))),
    config(Softmax, softmax(fallback(Softmax))),
  ];
}
