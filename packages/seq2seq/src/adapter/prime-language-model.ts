import * as tf from '@tensorflow/tfjs';
import { runLayer } from '../cells/run-layer.js';
import type { KernelPass } from '../kernels/kernel-set.js';
import { padSources } from '../model/batch-layout.js';
import { initialDecoderState } from '../model/bridge.js';
import type { DecoderState } from '../model/decoder.js';
import type { ModelInternals } from '../model/model-internals.js';
import { typedTidy } from '../model/typed-tidy.js';

/** Decoding never takes gradients: every step runs the model's forward kernels. */
export function inference(model: ModelInternals): KernelPass {
  return { kernels: model.kernels, differentiable: false };
}

/**
 * lm: runs [bos, prime₀ … prime₍ₙ₋₂₎] through the decoder (rows masked at
 * their own lengths) and leaves each row's last token (bos for an empty
 * prime) pending for the first step.
 */
export function primeLanguageModel(model: ModelInternals, primes: readonly (readonly number[])[]): { decoder: DecoderState; pending: Int32Array } {
  const { config, params } = model;
  const rows = primes.length;
  const pending = Int32Array.from(primes, (p) => (p.length === 0 ? config.bosId : p[p.length - 1]));
  const consumed = primes.map((p) => (p.length === 0 ? [] : [config.bosId, ...p.slice(0, -1)]));
  const decoder = typedTidy((): DecoderState => {
    const initial = initialDecoderState(params, config, null, rows);
    if (consumed.every((c) => c.length === 0)) return initial;
    const batch = padSources(consumed, config.padId);
    let x = tf.gather(params.targetEmbedding, tf.tensor1d(batch.ids, 'int32')) as tf.Tensor2D; // [P·B, E]
    const layers = params.decoder.map((cell, l) => {
      const run = runLayer(cell, x, batch.steps, rows, inference(model), { initial: initial.layers[l], lengths: batch.lengths });
      x = tf.reshape(run.outputs, [batch.steps * rows, config.hiddenSize]) as tf.Tensor2D;
      return run.final;
    });
    return { layers, feed: initial.feed };
  });
  return { decoder, pending };
}
