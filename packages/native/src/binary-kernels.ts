import { Add, Multiply, RealDiv, Sub, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { output, type NativeBackend } from './backend-data.js';

// Float32 Add, Sub, Multiply and RealDiv in the addon for the broadcasts a
// training step uses: equal shapes, a scalar on either side, and a row over
// the trailing dimensions (bias). The cpu backend computes a
// multi-dimensional index per element for every broadcast, scalars included
// (each optimizer update). Other cases run the stock cpu kernel.

interface BinaryArgs { inputs: { a: TensorInfo; b: TensorInfo }; backend: NativeBackend }

const size = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);

/** How `small` repeats against `big`: 'same', 'scalar', 'row' (small is big's trailing block); undefined otherwise. */
function broadcast(big: readonly number[], small: readonly number[]): 'same' | 'scalar' | 'row' | undefined {
  if (small.length > big.length) return undefined;
  if (small.length === big.length && small.every((d, i) => d === big[i])) return 'same';
  if (size(small) === 1) return 'scalar';
  const first = small.findIndex((d) => d !== 1);
  const tail = small.slice(first);
  return tail.every((d, i) => d === big[big.length - tail.length + i]) ? 'row' : undefined;
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
        const [out, ov] = output(args.backend, [...(aBig ? a.shape : b.shape)]);
        const mode = kind === 'same' ? 0 : kind === 'scalar' ? (aBig ? 1 : 2) : aBig ? 3 : 4;
        addon.binary(op, mode, av, bv, ov);
        return out;
      }
    }
    return (stock.kernelFunc as unknown as (x: BinaryArgs) => TensorInfo)(args);
  };
  return { kernelName: name, backendName: 'native', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** The native backend's float32 Add, Sub, Multiply, RealDiv (stock configs by name serve the other cases). */
export function makeBinaryKernels(addon: NativeAddon, stock: Map<string, KernelConfig>): KernelConfig[] {
  return [Add, Sub, Multiply, RealDiv].map((name, op) => binary(name, op, addon, stock.get(name)!));
}
