import { _FusedMatMul, BatchMatMul, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { f32, filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
  backend: NativeBackend;
}

/** One matMul as a batched sgemm: sizes, operand strides and output shape; undefined when the batch dims do not fit. */
interface Plan {
  batch: number;
  m: number;
  n: number;
  k: number;
  strideA: number;
  strideB: number;
  shape: number[];
}

function plan(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Plan | undefined {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return undefined;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) return undefined; // the stock kernel names the mismatch
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1);
  const batchB = outerB.reduce((x, y) => x * y, 1);
  let outer: number[];
  if (outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i])) outer = outerA;
  else if (batchB === 1 && outerA.length >= outerB.length) outer = outerA;
  else if (batchA === 1 && outerB.length >= outerA.length) outer = outerB;
  else return undefined;
  const batch = Math.max(batchA, batchB);
  return { batch, m, n, k, strideA: batchA === 1 ? 0 : m * k, strideB: batchB === 1 ? 0 : k * n, shape: [...outer, m, n] };
}

function activate(values: Float32Array, activation: string, alpha: number): boolean {
  switch (activation) {
    case 'linear':
      return true;
    case 'relu':
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
      return true;
    case 'relu6':
      for (let i = 0; i < values.length; i++) values[i] = Math.min(6, Math.max(0, values[i]!));
      return true;
    case 'sigmoid':
      for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]!));
      return true;
    case 'leakyrelu':
      for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = alpha * values[i]!;
      return true;
    default:
      return false;
  }
}

/**
 * `BatchMatMul` and `_FusedMatMul` on the addon's sgemm: transposes are BLAS
 * flags, operands are read in place. Cases the addon does not cover
 * (non-float32, broadcasts other than one side's batch of 1, a bias that is
 * neither [N] nor the output's shape, elu/prelu) run the stock cpu kernel.
 */
export function makeMatMulKernel(name: typeof BatchMatMul | typeof _FusedMatMul, addon: NativeAddon, stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: MatMulArgs): TensorInfo => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const activation = args.attrs.activation ?? 'linear';
    const p = a.dtype === 'float32' && b.dtype === 'float32' ? plan(a, b, transposeA, transposeB) : undefined;
    const size = p === undefined ? 0 : p.batch * p.m * p.n;
    const biasOk =
      bias === undefined ||
      (bias.dtype === 'float32' &&
        ((bias.shape.reduce((x, y) => x * y, 1) === p?.n && bias.shape.at(-1) === p.n) || bias.shape.reduce((x, y) => x * y, 1) === size));
    const activationOk = ['linear', 'relu', 'relu6', 'sigmoid', 'leakyrelu'].includes(activation) && preluActivationWeights === undefined;
    if (p === undefined || !biasOk || !activationOk) return (stock.kernelFunc as unknown as (x: MatMulArgs) => TensorInfo)(args);
    const backend = args.backend;
    const [out, values] = filledOutput(backend, p.shape); // sgemm (beta 0) writes every element, k = 0 included
    addon.sgemm(transposeA, transposeB, p.batch, p.m, p.n, p.k, 1, f32(backend, a, name, 'a'), p.strideA, f32(backend, b, name, 'b'), p.strideB, 0, values);
    if (bias !== undefined) {
      const bv = f32(backend, bias, name, 'bias');
      if (bv.length === size) for (let i = 0; i < size; i++) values[i] = values[i]! + bv[i]!;
      else for (let i = 0; i < size; i += p.n) for (let j = 0; j < p.n; j++) values[i + j] = values[i + j]! + bv[j]!;
    }
    activate(values, activation, args.attrs.leakyreluAlpha ?? 0.2);
    return out;
  };
  return nativeKernel(name, kernelFunc);
}
