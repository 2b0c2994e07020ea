import { number } from '../option-values.js';
import { type LogitsProcessor, named } from '../processor.js';
import { markKernelProcessor } from '../simd/simd-row.js';
import { simdScale } from '../simd/simd-row-ops.js';

/** The temperature a sampler accepts. */
export const temperatureValue = number({ min: 0, note: '0 = greedy, 1 = unchanged' });

/**
 * Divide logits by `t` (> 0): t < 1 sharpens the distribution, t > 1
 * flattens it. `t = 0` is the limit: only the largest logit(s) stay allowed
 * (greedy). Negative or non-finite `t` is rejected.
 */
export function temperature(t: number): LogitsProcessor {
  temperatureValue.check('temperature', t);
  if (t === 0) {
    return named('temperature(0)', (logits) => {
      let max = -Infinity;
      for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
      for (let i = 0; i < logits.length; i++) logits[i] = logits[i] === max ? 0 : -Infinity;
      return logits;
    });
  }
  const inv = 1 / t;
  return markKernelProcessor(
    named(`temperature(${t})`, (logits) => {
      if (simdScale(logits, inv)) return logits;
      for (let i = 0; i < logits.length; i++) logits[i] *= inv;
      return logits;
    }),
  );
}
