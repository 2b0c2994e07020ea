import type { SearchSettings } from './search-strategy.js';

/**
 * An upper bound on the score of any completion of a row with log-probability
 * `logProb` and `length` tokens: extending only lowers logProb, and every
 * length penalty's divisor grows with length, so the best case is to stop at
 * the current length or at maxLength with no further loss.
 */
export function upperBound(options: SearchSettings, logProb: number, length: number): number {
  return Math.max(options.score(logProb, length), options.score(logProb, Math.max(length, options.maxLength)));
}
