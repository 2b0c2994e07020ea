import { GatherV2, type KernelConfig, Sum, type TensorInfo, Transpose } from '@tensorflow/tfjs';
import { check, filledOutput, type NativeBackend, output } from './backend-data.js';
import { nativeKernel, type Stock, stockKernel } from './kernel-config.js';

// Data-movement kernels whose cpu-backend versions compute a multi-dimensional
// index per element; these copy whole rows or walk strides instead. Each
// handles float32 (GatherV2 and Transpose also int32) and otherwise runs the
// stock cpu kernel.

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function values(backend: NativeBackend, info: TensorInfo): Float32Array | Int32Array | undefined {
  const v = backend.data.get(info.dataId)?.values;
  return v instanceof Float32Array || v instanceof Int32Array ? v : undefined;
}

function typedOutput(backend: NativeBackend, shape: number[], dtype: 'float32' | 'int32'): [TensorInfo, Float32Array | Int32Array] {
  if (dtype === 'float32') return filledOutput(backend, shape); // gather and transpose write every element
  const v = new Int32Array(size(shape));
  return [backend.makeTensorInfo(shape, 'int32', v), v];
}

interface GatherArgs {
  inputs: { x: TensorInfo; indices: TensorInfo };
  attrs: { axis: number; batchDims: number };
  backend: NativeBackend;
}

function gather(stock: Stock) {
  return (args: GatherArgs): TensorInfo => {
    const { x, indices } = args.inputs;
    const xv = values(args.backend, x);
    const iv = args.backend.data.get(indices.dataId)?.values;
    if (xv === undefined || args.attrs.batchDims !== 0 || !(iv instanceof Int32Array) || x.shape.length === 0) return stock(args);
    const axis = args.attrs.axis < 0 ? args.attrs.axis + x.shape.length : args.attrs.axis;
    const dim = x.shape[axis]!;
    const outer = size(x.shape.slice(0, axis));
    const inner = size(x.shape.slice(axis + 1));
    const shape = [...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)];
    const [out, ov] = typedOutput(args.backend, shape, x.dtype as 'float32' | 'int32');
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < iv.length; i++) {
        const index = iv[i]!;
        check(index >= 0 && index < dim, GatherV2, `indices[${i}] = ${index} is not in [0, ${dim - 1}]`);
        const src = (o * dim + index) * inner;
        ov.set(xv.subarray(src, src + inner), (o * iv.length + i) * inner);
      }
    }
    return out;
  };
}

/** out [cols, rows] = xᵀ for x [rows, cols], in 32×32 tiles (both sides stay in cache). */
function transpose2d(x: Float32Array | Int32Array, out: Float32Array | Int32Array, rows: number, cols: number): void {
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(rows, r0 + tile);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(cols, c0 + tile);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = x[r * cols + c]!;
    }
  }
}

interface TransposeArgs {
  inputs: { x: TensorInfo };
  attrs: { perm: number[] };
  backend: NativeBackend;
}

function transpose(stock: Stock) {
  return (args: TransposeArgs): TensorInfo => {
    const { x } = args.inputs;
    const { perm } = args.attrs;
    const xv = values(args.backend, x);
    const rank = x.shape.length;
    if (xv === undefined || rank === 0) return stock(args);
    const shape = perm.map((p) => x.shape[p]!);
    const [out, ov] = typedOutput(args.backend, shape, x.dtype as 'float32' | 'int32');
    if (perm.every((p, i) => p === i)) {
      ov.set(xv);
      return out;
    }
    if (rank === 2 && perm[0] === 1) {
      transpose2d(xv, ov, x.shape[0]!, x.shape[1]!);
      return out;
    }
    const inStrides = new Array<number>(rank);
    for (let d = rank - 1, s = 1; d >= 0; d--) {
      inStrides[d] = s;
      s *= x.shape[d]!;
    }
    const strides = perm.map((p) => inStrides[p]!); // input stride of each output axis
    const last = shape[rank - 1]!;
    const step = strides[rank - 1]!;
    const counter = new Array<number>(rank).fill(0);
    let base = 0;
    for (let o = 0; o < ov.length; o += last) {
      if (step === 1) ov.set(xv.subarray(base, base + last), o);
      else for (let j = 0, src = base; j < last; j++, src += step) ov[o + j] = xv[src]!;
      for (let d = rank - 2; d >= 0; d--) {
        // odometer over the outer output axes
        counter[d]!++;
        base += strides[d]!;
        if (counter[d]! < shape[d]!) break;
        base -= strides[d]! * shape[d]!;
        counter[d] = 0;
      }
    }
    return out;
  };
}

interface SumArgs {
  inputs: { x: TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: NativeBackend;
}

function sum(stock: Stock) {
  return (args: SumArgs): TensorInfo => {
    const { x } = args.inputs;
    const rank = x.shape.length;
    const given = args.attrs.axis as number | number[] | null | undefined;
    const list = given === null || given === undefined ? x.shape.map((_, d) => d) : Array.isArray(given) ? given : [given];
    const axes = [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
    const xv = values(args.backend, x);
    const leading = axes.every((a, i) => a === i);
    const trailing = axes.every((a, i) => a === rank - axes.length + i);
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array) || rank === 0 || axes.length === 0 || (!leading && !trailing)) return stock(args);
    const kept = x.shape.filter((_, d) => !axes.includes(d));
    const shape = args.attrs.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept;
    const [out, ov] = output(args.backend, shape);
    const width = size(kept);
    if (leading) {
      const rows = xv.length / Math.max(1, width);
      for (let r = 0; r < rows; r++) for (let j = 0, s = r * width; j < width; j++) ov[j] = ov[j]! + xv[s + j]!;
    } else {
      const span = xv.length / Math.max(1, width);
      for (let r = 0; r < width; r++) {
        let total = 0;
        for (let j = 0, s = r * span; j < span; j++) total += xv[s + j]!;
        ov[r] = total;
      }
    }
    return out;
  };
}

/** The native backend's GatherV2, Transpose and Sum, falling back to `stock` (by kernel name) where they do not apply. */
export function makeLayoutKernels(stock: Map<string, KernelConfig>): KernelConfig[] {
  const fallback = (name: string): Stock => stockKernel(stock, name);
  const config = nativeKernel;
  return [config(GatherV2, gather(fallback(GatherV2))), config(Transpose, transpose(fallback(Transpose))), config(Sum, sum(fallback(Sum)))];
}
