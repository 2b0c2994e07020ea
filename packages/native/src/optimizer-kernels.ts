import { ADAM_UPDATE_KERNEL, SUM_OF_SQUARES_KERNEL } from '@seqloom/core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { check, f32, filledOutput, type NativeBackend, output } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

interface AdamInputs {
  w: TensorInfo;
  m: TensorInfo;
  v: TensorInfo;
  g: TensorInfo;
  scale: TensorInfo;
}
interface AdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  stepSize: number;
}

const size = (info: TensorInfo) => info.shape.reduce((a, b) => a * b, 1);

/** [w', m', v'] of one Adam step in one pass (see the addon's `adam`); `scale` multiplies the gradient first. */
function adamUpdate(addon: NativeAddon) {
  return (args: { inputs: AdamInputs; attrs: AdamAttrs; backend: NativeBackend }): TensorInfo[] => {
    const k = ADAM_UPDATE_KERNEL;
    const { w, m, v, g, scale } = args.inputs;
    const n = size(w);
    for (const [name, t] of [
      ['m', m],
      ['v', v],
      ['g', g],
    ] as const) {
      check(size(t) === n, k, `${name} must have w's ${n} elements (shape [${w.shape.join(', ')}]), got shape [${t.shape.join(', ')}]`);
    }
    check(size(scale) === 1, k, `scale must be a scalar, got shape [${scale.shape.join(', ')}]`);
    const b = args.backend;
    const [wOut, wv] = filledOutput(b, [...w.shape]);
    const [mOut, mv] = filledOutput(b, [...w.shape]);
    const [vOut, vv] = filledOutput(b, [...w.shape]);
    const { beta1, beta2, epsilon, stepSize } = args.attrs;
    const factor = f32(b, scale, k, 'scale')[0]!;
    if (!Number.isFinite(factor)) {
      // a NaN or infinite gradient norm: the weights come out NaN, as the same update in tfjs ops gives (and m, v too); training then stops on its non-finite loss check
      wv.fill(Number.NaN);
      mv.fill(Number.NaN);
      vv.fill(Number.NaN);
      return [wOut, mOut, vOut];
    }
    addon.adam(f32(b, w, k, 'w'), f32(b, m, k, 'm'), f32(b, v, k, 'v'), f32(b, g, k, 'g'), wv, mv, vv, factor, beta1, beta2, epsilon, stepSize);
    return [wOut, mOut, vOut];
  };
}

/** Σ x² over every input tensor (named x0, x1, …), accumulated in double, as a float32 scalar. */
function sumOfSquares(addon: NativeAddon) {
  return (args: { inputs: Record<string, TensorInfo>; backend: NativeBackend }): TensorInfo => {
    let total = 0;
    for (const [name, x] of Object.entries(args.inputs)) total += addon.sumSquares(f32(args.backend, x, SUM_OF_SQUARES_KERNEL, name));
    const [out, ov] = output(args.backend, []);
    ov[0] = total;
    return out;
  };
}

/** The fused optimizer kernels of the `native` backend. */
export function makeOptimizerKernels(addon: NativeAddon): KernelConfig[] {
  const config = nativeKernel;
  return [config(ADAM_UPDATE_KERNEL, adamUpdate(addon)), config(SUM_OF_SQUARES_KERNEL, sumOfSquares(addon))];
}
