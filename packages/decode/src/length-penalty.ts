/** The length penalties, see `lengthPenaltyDivisor`. */
export const LENGTH_PENALTIES = ['none', 'avg', 'wu', 'power'] as const;

/** How a hypothesis's log-probability is normalised by its length into its score. */
export type LengthPenalty = (typeof LENGTH_PENALTIES)[number];

/**
 * The divisor lp(len) in score = logProb / lp(len), where len is the number
 * of generated tokens, the stop token included:
 * - `none`: 1 (score = logProb);
 * - `avg`: len (mean log-probability per token; 1 when len = 0);
 * - `wu`: ((5 + len) / 6)^α (Wu et al., 2016, GNMT);
 * - `power`: len^α (Hugging Face's `length_penalty`; α = 1 is `avg`, α < 0
 *   favours shorter outputs; 1 when len = 0).
 */
export function lengthPenaltyDivisor(kind: LengthPenalty, length: number, alpha: number): number {
  switch (kind) {
    case 'none':
      return 1;
    case 'avg':
      return length > 0 ? length : 1;
    case 'wu':
      return ((5 + length) / 6) ** alpha;
    case 'power':
      return length > 0 ? length ** alpha : 1;
  }
}

/** The scoring function of a length penalty (arguments validated by the option table). */
export function makeScorer(kind: LengthPenalty, alpha: number): (logProb: number, length: number) => number {
  if (kind === 'none') return (logProb) => logProb;
  return (logProb, length) => logProb / lengthPenaltyDivisor(kind, length, alpha);
}
