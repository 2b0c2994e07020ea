import { argmax } from '../log-softmax.js';
import type { Rng } from '../rng.js';
import type { TokenPicker } from './rowwise-search.js';

/** Greedy: the most probable token (lowest id on ties). */
export const pickGreedy: TokenPicker = (logProbs) => argmax(logProbs);

/**
 * Sampling: inverse-CDF draw of one token from the row's distribution with
 * one uniform number from `rng` (tokens scanned in id order).
 */
export function pickSample(rng: Rng): TokenPicker {
  return (logProbs) => {
    const u = rng.next();
    let acc = 0;
    let last = -1;
    for (let v = 0; v < logProbs.length; v++) {
      const lp = logProbs[v];
      if (lp === -Infinity) continue;
      acc += Math.exp(lp);
      last = v;
      if (u < acc) return v;
    }
    return last; // rounding left u ≥ total mass: the last allowed token
  };
}
