import * as tf from '@tensorflow/tfjs';
import { makeBatch, planEvaluation } from '../data/batching.js';
import type { SequenceExample } from '../data/sequence-example.js';
import { planStreams } from '../data/stream-batches.js';
import type { TrainableModel } from '../model-contract.js';
import { CarriedState } from './carried-state.js';

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

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /**
   * Language models: read the windows (in text order) as `batchSize` parallel
   * streams and carry the recurrent state from each window to the next, as
   * training with `carryState` does (see `planStreams`) [false: every window
   * starts from zeros].
   */
  carryState?: boolean;
}

/**
 * Evaluates a model without dropout, label smoothing or scheduled sampling:
 * token-weighted mean NLL, perplexity and token accuracy.
 */
export async function evaluate(
  model: TrainableModel,
  examples: readonly SequenceExample[],
  batchSize: number,
  options: EvaluateOptions = {},
): Promise<EvaluationMetrics> {
  const { padId, sourcePadId } = model.config;
  const carry = options.carryState === true && model.config.task === 'lm' ? new CarriedState() : null;
  let lossSum = 0;
  let correctSum = 0;
  let tokens = 0;
  try {
    for (const indices of carry ? planStreams(examples.length, batchSize) : planEvaluation(examples, batchSize)) {
      const batch = makeBatch(examples, indices, { padId, sourcePadId });
      const carried = carry?.lossOptions(batch.batchSize); // outside the tidy: it may cut the held state
      const both = tf.tidy(() => {
        const { loss, correct } = model.loss(batch, { training: false, differentiable: false, ...carried });
        return tf.stack([loss, correct]);
      });
      carry?.commit();
      const [loss, correct] = await both.data();
      both.dispose();
      lossSum += loss * batch.tokens;
      correctSum += correct;
      tokens += batch.tokens;
    }
  } finally {
    carry?.dispose();
  }
  const loss = tokens > 0 ? lossSum / tokens : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: tokens > 0 ? correctSum / tokens : NaN, tokens };
}
