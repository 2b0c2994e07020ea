import * as tf from '@tensorflow/tfjs';
import { makeBatch, planEvaluation } from '../data/batching.js';
import type { SequenceExample } from '../data/sequence-example.js';
import type { TrainableModel } from '../model-contract.js';

/** Validation metrics over non-pad target tokens (the stop token included). */
export interface EvaluationMetrics {
  /** Mean negative log-likelihood per token (nats). */
  loss: number;
  /** exp(loss). */
  perplexity: number;
  /** Fraction of tokens whose argmax prediction is correct. */
  accuracy: number;
  /** Tokens evaluated. */
  tokens: number;
}

/**
 * Evaluates a model without dropout, label smoothing or scheduled sampling:
 * token-weighted mean NLL, perplexity and token accuracy.
 */
export async function evaluate(
  model: TrainableModel,
  examples: readonly SequenceExample[],
  batchSize: number,
): Promise<EvaluationMetrics> {
  const { padId, sourcePadId } = model.config;
  let lossSum = 0;
  let correctSum = 0;
  let tokens = 0;
  for (const indices of planEvaluation(examples, batchSize)) {
    const batch = makeBatch(examples, indices, { padId, sourcePadId });
    const both = tf.tidy(() => {
      const { loss, correct } = model.loss(batch, { training: false, differentiable: false });
      return tf.stack([loss, correct]);
    });
    const [loss, correct] = await both.data();
    both.dispose();
    lossSum += loss * batch.tokens;
    correctSum += correct;
    tokens += batch.tokens;
  }
  const loss = tokens > 0 ? lossSum / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: tokens > 0 ? correctSum / tokens : NaN, tokens };
}
