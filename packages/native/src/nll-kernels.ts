import { MASKED_NLL_GRAD_KERNEL, MASKED_NLL_KERNEL } from '@seqloom/core';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeAddon } from './addon.js';
import { check, f32, filledOutput, type NativeBackend, output } from './backend-data.js';
import { nativeKernel } from './kernel-config.js';

interface NllInputs {
  logits: TensorInfo;
  ids: TensorInfo;
  weights: TensorInfo;
  dy?: TensorInfo;
}

/** Checks logits [N, V], ids int32 [N], weights float32 [N]; returns the addon's arguments. */
function operands(kernel: string, backend: NativeBackend, inputs: NllInputs): [Float32Array, number, Int32Array, Float32Array] {
  const { logits, ids, weights } = inputs;
  check(logits.shape.length === 2, kernel, `logits must be [N, V], got [${logits.shape.join(', ')}]`);
  const [rows, vocab] = logits.shape as [number, number];
  check(
    ids.dtype === 'int32' && ids.shape.length === 1 && ids.shape[0] === rows,
    kernel,
    `ids must be int32 [${rows}], got ${ids.dtype} [${ids.shape.join(', ')}]`,
  );
  check(weights.shape.length === 1 && weights.shape[0] === rows, kernel, `weights must be [${rows}], got [${weights.shape.join(', ')}]`);
  return [f32(backend, logits, kernel, 'logits'), vocab, backend.data.get(ids.dataId)!.values as Int32Array, f32(backend, weights, kernel, 'weights')];
}

/** Σ_i w_i·NLL_i (label smoothing ε) as a float32 scalar. */
function maskedNll(addon: NativeAddon) {
  return (args: { inputs: NllInputs; attrs: { smoothing: number }; backend: NativeBackend }): TensorInfo => {
    const [logits, vocab, ids, weights] = operands(MASKED_NLL_KERNEL, args.backend, args.inputs);
    const [out, ov] = output(args.backend, []);
    ov[0] = addon.maskedNll(logits, vocab, ids, weights, args.attrs.smoothing);
    return out;
  };
}

/** dy · ∂(Σ_i w_i·NLL_i)/∂logits ([N, V]). */
function maskedNllGrad(addon: NativeAddon) {
  return (args: { inputs: NllInputs; attrs: { smoothing: number }; backend: NativeBackend }): TensorInfo => {
    const k = MASKED_NLL_GRAD_KERNEL;
    const [logits, vocab, ids, weights] = operands(k, args.backend, args.inputs);
    const dy = args.inputs.dy;
    check(dy !== undefined && dy.shape.reduce((a, b) => a * b, 1) === 1, k, 'dy must be a scalar');
    const [out, ov] = filledOutput(args.backend, [...args.inputs.logits.shape]);
    addon.maskedNllGrad(logits, vocab, ids, weights, args.attrs.smoothing, f32(args.backend, dy!, k, 'dy')[0]!, ov);
    return out;
  };
}

/** The fused log-softmax + masked NLL kernels of the `native` backend. */
export function makeNllKernels(addon: NativeAddon): KernelConfig[] {
  const config = nativeKernel;
  return [config(MASKED_NLL_KERNEL, maskedNll(addon)), config(MASKED_NLL_GRAD_KERNEL, maskedNllGrad(addon))];
}
