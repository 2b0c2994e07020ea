import { number } from '../option-values.js';
import { type LogitsProcessor, named } from '../processor.js';
import { markKernelProcessor } from '../simd/simd-row.js';
import { maskOutsideTopP, NucleusScratch } from './nucleus-mask.js';

/** The probability mass of nucleus filtering. */
export const topPValue = number({ min: 0, minExclusive: true, max: 1 });

/**
 * Nucleus filtering (Holtzman et al., 2020): keep the smallest set of the most
 * likely tokens whose total probability reaches `p` (0 < p ≤ 1), mask the
 * rest. The most likely token is always kept; ties are broken by lower token
 * id. Three passes over the row and partial selection in one bucket, no sort
 * (see `maskOutsideTopP`).
 */
export function topP(p: number): LogitsProcessor {
  topPValue.check('topP', p);
  const scratch = new NucleusScratch();
  return markKernelProcessor(
    named(`topP(${p})`, (logits) => {
      if (p === 1) return logits;
      maskOutsideTopP(logits, p, scratch);
      return logits;
    }),
  );
}
