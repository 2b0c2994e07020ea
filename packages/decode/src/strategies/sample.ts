import type { Rng } from '../rng.js';
import { RowwiseSearch, type TokenPicker } from './rowwise-search.js';
import type { StrategyDefinition } from './search-strategy.js';

/**
 * Sampling: inverse-CDF draw of one token from the row's distribution with
 * one uniform number from `rng` (tokens scanned in id order).
 */
export function pickSample(rng: Rng): TokenPicker {
  return (logits, shift, start, vocab) => {
    const u = rng.next();
    let acc = 0;
    let last = -1;
    for (let v = 0; v < vocab; v++) {
      const x = logits[start + v];
      if (x === -Infinity) continue;
      acc += Math.exp(x - shift);
      last = v;
      if (u < acc) return v;
    }
    return last; // rounding left u ≥ total mass: the last allowed token
  };
}

/** Sampling: `numReturn` independent draws per source from the processed distribution. */
export const sampleStrategy: StrategyDefinition = {
  help: 'draw each token from the processed distribution (seeded)',
  random: true,
  create: (context) => new RowwiseSearch(context, pickSample(context.options.rng!)),
};
