import { BINARY_MODES, BINARY_OPS, type BinaryMode, type BinaryOp, UNARY_OPS, type UnaryOp } from '@seqloom/core';
import {
  Abs,
  Add,
  Exp,
  type KernelConfig,
  Log,
  Multiply,
  Neg,
  RealDiv,
  Relu,
  Rsqrt,
  Sigmoid,
  Sqrt,
  Square,
  Sub,
  Tanh,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

// Float32 Add, Sub, Multiply and RealDiv in the addon for the broadcasts a
// training step uses: equal shapes, a scalar on either side, and a row over
// the trailing dimensions (bias). The cpu backend computes a
// multi-dimensional index per element for every broadcast, scalars included
// (each optimizer update). Other cases run the stock cpu kernel. Also the
// float32 unary maths the optimizer, clipping and loss use.

interface BinaryArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: NativeBackend;
}

const size = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);

/**
 * How `small` repeats against `big`: 'same', 'scalar', 'row' (small is big's
 * trailing block), 'column' (small is big's leading dims with trailing 1s); undefined otherwise.
 */
function broadcast(big: readonly number[], small: readonly number[]): 'same' | 'scalar' | 'row' | 'column' | undefined {
  if (small.length > big.length) return undefined;
  if (small.length === big.length && small.every((d, i) => d === big[i])) return 'same';
  if (size(small) === 1) return 'scalar';
  const first = small.findIndex((d) => d !== 1);
  const tail = small.slice(first);
  if (tail.every((d, i) => d === big[big.length - tail.length + i])) return 'row';
  const ones = small.length - 1 - [...small].reverse().findIndex((d) => d !== 1); // last non-1 dim
  const lead = small.slice(0, ones + 1);
  return small.length === big.length && lead.every((d, i) => d === big[i]) ? 'column' : undefined;
}

/** The addon's broadcast mode for a broadcast kind, the larger operand being a (aBig) or b. */
function modeOf(kind: 'same' | 'scalar' | 'row' | 'column', aBig: boolean): BinaryMode {
  if (kind === 'same') return BINARY_MODES.same;
  if (kind === 'scalar') return aBig ? BINARY_MODES.scalarB : BINARY_MODES.scalarA;
  if (kind === 'row') return aBig ? BINARY_MODES.rowB : BINARY_MODES.rowA;
  return aBig ? BINARY_MODES.columnB : BINARY_MODES.columnA;
}

function binary(name: string, op: BinaryOp, addon: NativeAddon, stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: BinaryArgs): TensorInfo => {
    const { a, b } = args.inputs;
    const av = args.backend.data.get(a.dataId)?.values;
    const bv = args.backend.data.get(b.dataId)?.values;
    if (a.dtype === 'float32' && b.dtype === 'float32' && av instanceof Float32Array && bv instanceof Float32Array) {
      const aBig = av.length >= bv.length;
      const kind = aBig ? broadcast(a.shape, b.shape) : broadcast(b.shape, a.shape);
      if (kind !== undefined) {
        const [out, ov] = filledOutput(args.backend, [...(aBig ? a.shape : b.shape)]);
        addon.binary(op, modeOf(kind, aBig), av, bv, ov);
        return out;
      }
    }
    return (stock.kernelFunc as unknown as (x: BinaryArgs) => TensorInfo)(args);
  };
  return nativeKernel(name, kernelFunc);
}

/** The native backend's float32 Add, Sub, Multiply, RealDiv (stock configs by name serve the other cases). */
export function makeBinaryKernels(addon: NativeAddon, stock: Map<string, KernelConfig>): KernelConfig[] {
  const ops: [string, BinaryOp][] = [
    [Add, BINARY_OPS.add],
    [Sub, BINARY_OPS.sub],
    [Multiply, BINARY_OPS.mul],
    [RealDiv, BINARY_OPS.div],
  ];
  return ops.map(([name, op]) => binary(name, op, addon, stock.get(name)!));
}

interface UnaryArgs {
  inputs: { x: TensorInfo };
  backend: NativeBackend;
}

function unary(name: string, op: UnaryOp, addon: NativeAddon, stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: UnaryArgs): TensorInfo => {
    const { x } = args.inputs;
    const xv = args.backend.data.get(x.dataId)?.values;
    if (x.dtype !== 'float32' || !(xv instanceof Float32Array)) return (stock.kernelFunc as unknown as (a: UnaryArgs) => TensorInfo)(args);
    const [out, ov] = filledOutput(args.backend, [...x.shape]);
    addon.unary(op, xv, ov);
    return out;
  };
  return nativeKernel(name, kernelFunc);
}

/** The native backend's float32 Sqrt, Square, Exp, Log, Neg, Rsqrt, Sigmoid, Tanh, Relu, Abs. */
export function makeUnaryKernels(addon: NativeAddon, stock: Map<string, KernelConfig>): KernelConfig[] {
  const ops: [string, UnaryOp][] = [
    [Sqrt, UNARY_OPS.sqrt],
    [Square, UNARY_OPS.square],
    [Exp, UNARY_OPS.exp],
    [Log, UNARY_OPS.log],
    [Neg, UNARY_OPS.neg],
    [Rsqrt, UNARY_OPS.rsqrt],
    [Sigmoid, UNARY_OPS.sigmoid],
    [Tanh, UNARY_OPS.tanh],
    [Relu, UNARY_OPS.relu],
    [Abs, UNARY_OPS.abs],
  ];
  return ops.map(([name, op]) => unary(name, op, addon, stock.get(name)!));
}
