import { number } from '../option-values.js';
import { type LogitsProcessor, named } from '../processor.js';
import { markKernelProcessor } from '../simd/simd-row.js';
import { simdMaskBelow, simdStagedMax } from '../simd/simd-row-ops.js';

/** The share of the top probability below which min-p filtering drops a token. */
export const minPValue = number({ min: 0, max: 1 });

/**
 * Min-p filtering (Nguyen et al., 2024): keep tokens whose probability is at
 * least `p` times the probability of the most likely token (0 ≤ p ≤ 1), i.e.
 * logit ≥ max logit + ln p. p = 0 keeps everything.
 */
export function minP(p: number): LogitsProcessor {
  minPValue.check('minP', p);
  const logP = Math.log(p);
  return markKernelProcessor(
    named(`minP(${p})`, (logits) => {
      if (p === 0) return logits;
      const staged = simdStagedMax(logits); // leaves the row staged for the mask
      if (staged !== null && simdMaskBelow(logits, staged + logP, true)) return logits;
      let max = -Infinity;
      for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
      const threshold = max + logP;
      for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
      return logits;
    }),
  );
}
