import { DecodeOptionError, checkNumber } from './errors.js';

/** How a hypothesis's log-probability is normalised by its length into its score. */
export type LengthPenalty = 'none' | 'avg' | 'wu';

/**
 * The divisor lp(len) in score = logProb / lp(len), where len is the number
 * of generated tokens, the stop token included:
 * - `none`: 1 (score = logProb);
 * - `avg`: len (mean log-probability per token; 1 when len = 0);
 * - `wu`: ((5 + len) / 6)^α (Wu et al., 2016, GNMT).
 */
export function lengthPenaltyDivisor(kind: LengthPenalty, length: number, alpha: number): number {
  switch (kind) {
    case 'none':
      return 1;
    case 'avg':
      return length > 0 ? length : 1;
    case 'wu':
      return Math.pow((5 + length) / 6, alpha);
  }
}

/** A scoring function for a length penalty, validated once. */
export function makeScorer(kind: unknown, alpha: unknown): (logProb: number, length: number) => number {
  if (kind !== 'none' && kind !== 'avg' && kind !== 'wu') {
    throw new DecodeOptionError('lengthPenalty', `expected 'none', 'avg' or 'wu', got ${String(kind)}`);
  }
  const a = checkNumber('lengthPenaltyAlpha', alpha, (v) => v >= 0, 'a finite number ≥ 0');
  if (kind === 'none') return (logProb) => logProb;
  return (logProb, length) => logProb / lengthPenaltyDivisor(kind, length, a);
}
