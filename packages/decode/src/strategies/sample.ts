import { drawIndex } from '../log-softmax.js';
import type { Rng } from '../rng.js';
import { RowwiseSearch, type TokenPicker } from './rowwise-search.js';
import type { StrategyDefinition } from './search-strategy.js';

/**
 * Sampling: inverse-CDF draw of one token from the row's distribution with
 * one uniform number from `rng` (tokens scanned in id order).
 */
export function pickSample(rng: Rng): TokenPicker {
  return (logits, shift, start, vocab) => drawIndex(logits, start, vocab, shift, rng.next());
}

/** Sampling: `numReturn` independent draws per source from the processed distribution. */
export const sampleStrategy: StrategyDefinition = {
  help: 'draw each token from the processed distribution (seeded)',
  random: true,
  create: (context) => new RowwiseSearch(context, pickSample(context.options.rng!)),
};
