import { Abs, Add, Exp, Log, Multiply, Neg, RealDiv, Relu, Rsqrt, Sigmoid, Sqrt, Square, Sub, Tanh, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { filledOutput, type NativeBackend } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

// Float32 Add, Sub, Multiply and RealDiv in the addon for the broadcasts a
// training step uses: equal shapes, a scalar on either side, and a row over
// the trailing dimensions (bias). The cpu backend computes a
// multi-dimensional index per element for every broadcast, scalars included
// (each optimizer update). Other cases run the stock cpu kernel. Also the
// float32 unary maths the optimizer, clipping and loss use.

interface BinaryArgs { inputs: { a: TensorInfo; b: TensorInfo }; backend: NativeBackend }

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

function binary(name: string, op: number, addon: NativeAddon, stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: BinaryArgs): TensorInfo => {
    const { a, b } = args.inputs;
    const av = args.backend.data.get(a.dataId)?.values;
    const bv = args.backend.data.get(b.dataId)?.values;
    if (a.dtype === 'float32' && b.dtype === 'float32' && av instanceof Float32Array && bv instanceof Float32Array) {
      const aBig = av.length >= bv.length;
      const kind = aBig ? broadcast(a.shape, b.shape) : broadcast(b.shape, a.shape);
      if (kind !== undefined) {
        const [out, ov] = filledOutput(args.backend, [...(aBig ? a.shape : b.shape)]);
        const mode = kind === 'same' ? 0 : kind === 'scalar' ? (aBig ? 1 : 2) : kind === 'row' ? (aBig ? 3 : 4) : aBig ? 5 : 6;
        addon.binary(op, mode, av, bv, ov);
        return out;
      }
    }
    return (stock.kernelFunc as unknown as (x: BinaryArgs) => TensorInfo)(args);
  };
  return nativeKernel(name, kernelFunc);
}

/** The native backend's float32 Add, Sub, Multiply, RealDiv (stock configs by name serve the other cases). */
export function makeBinaryKernels(addon: NativeAddon, stock: Map<string, KernelConfig>): KernelConfig[] {
  return [Add, Sub, Multiply, RealDiv].map((name, op) => binary(name, op, addon, stock.get(name)!));
}

interface UnaryArgs { inputs: { x: TensorInfo }; backend: NativeBackend }

function unary(name: string, op: number, addon: NativeAddon, stock: KernelConfig): KernelConfig {
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
  return [Sqrt, Square, Exp, Log, Neg, Rsqrt, Sigmoid, Tanh, Relu, Abs].map((name, op) => unary(name, op, addon, stock.get(name)!));
}
