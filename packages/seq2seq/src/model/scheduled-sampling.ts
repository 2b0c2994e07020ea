import * as tf from '@tensorflow/tfjs';
import type { AttentionMemory } from '../attention/attention.js';
import type { ModelConfig } from '../model-contract.js';
import { type DecoderState, decoderStep } from './decoder.js';
import type { Dropper } from './dropout.js';
import { outputLogits } from './output-layer.js';
import type { ModelParams } from './parameters.js';

/**
 * Decoder with scheduled sampling: at step t > 0, the rows whose coin is set
 * take the model's own argmax from step t − 1 as input instead of the gold
 * token. Coins come from the caller's seeded generator, so a seed fixes them.
 * Returns logits [T·B, V], time-major. Call inside `tf.tidy`.
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
): tf.Tensor2D {
  let state = initial;
  let previous: tf.Tensor1D | undefined;
  const logits: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    let ids = tf.tensor1d(gold.subarray(t * rows, (t + 1) * rows), 'int32'); // [B]
    const stepCoins = coins.subarray(t * rows, (t + 1) * rows);
    if (previous !== undefined && stepCoins.some((c) => c === 1)) {
      ids = tf.where(tf.tensor1d(stepCoins, 'bool'), previous, ids) as tf.Tensor1D;
    }
    const embedded = drop.apply(tf.gather(params.targetEmbedding, ids) as tf.Tensor2D, config.embeddingDropout); // [B, E]
    const result = decoderStep(params, config, embedded, state, memory, drop);
    state = result.state;
    const stepLogits = outputLogits(params, drop.apply(result.output, config.dropout), kernel); // [B, V]
    previous = tf.argMax(stepLogits, 1) as tf.Tensor1D;
    logits.push(stepLogits);
  }
  return tf.concat(logits, 0); // [T·B, V]
}
