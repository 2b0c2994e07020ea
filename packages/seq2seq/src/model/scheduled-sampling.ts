import * as tf from '@tensorflow/tfjs';
import type { AttentionMemory } from '../attention/attention.js';
import { transposeSharingProduct } from '../cells/cached-transpose-mat-mul.js';
import { embeddingRows } from '../cells/embedding-rows.js';
import type { KernelPass } from '../kernels/kernel-set.js';
import type { ModelConfig } from '../model-contract.js';
import { type DecoderState, decoderStep } from './decoder.js';
import type { Dropper } from './dropout.js';
import { outputLogits } from './output-layer.js';
import type { ModelParams } from './parameters.js';

/**
 * Decoder with scheduled sampling: at step t > 0, the rows whose coin is set
 * take the model's own argmax from step t − 1 as input instead of the gold
 * token. Coins come from the caller's seeded generator, so a seed fixes them.
 * Returns logits [T·B, V], time-major. Call inside `tf.tidy`; `pass` is
 * differentiable when the loss is.
 */
export function decodeWithSampling(
  params: ModelParams,
  config: ModelConfig,
  gold: Int32Array, // [T·B] time-major decoder inputs
  coins: Uint8Array, // [T·B] 1 = feed the prediction
  steps: number,
  rows: number,
  initial: DecoderState,
  memory: AttentionMemory | null,
  kernel: tf.Tensor2D,
  drop: Dropper,
  pass: KernelPass,
): tf.Tensor2D {
  const product = transposeSharingProduct();
  let state = initial;
  let previous: Int32Array | undefined;
  const logits: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const ids = gold.slice(t * rows, (t + 1) * rows); // [B]
    if (previous !== undefined) {
      for (let r = 0; r < rows; r++) if (coins[t * rows + r] === 1) ids[r] = previous[r];
    }
    const embedded = drop.apply(embeddingRows(params.targetEmbedding as tf.Tensor2D, ids, pass), config.embeddingDropout); // [B, E]
    const result = decoderStep(params, config, embedded, state, memory, drop, pass, product);
    state = result.state;
    const stepLogits = outputLogits(params, drop.apply(result.output, config.dropout), kernel, pass.differentiable); // [B, V]
    // Read on the host: ids fed back must not stay connected to the gradient tape.
    if (t + 1 < steps && coins.subarray((t + 1) * rows, (t + 2) * rows).some((c) => c === 1)) {
      previous = tf.argMax(stepLogits, 1).dataSync() as Int32Array;
    }
    logits.push(stepLogits);
  }
  return tf.concat(logits, 0); // [T·B, V]
}
