import { number } from '../option-values.js';
import { expShiftedInto } from '../log-softmax.js';
import { named, type LogitsProcessor } from '../processor.js';
import { maskOutsideMass, NucleusScratch } from './nucleus-mask.js';

/** The probability mass of nucleus filtering. */
export const topPValue = number({ min: 0, minExclusive: true, max: 1 });

/**
 * Nucleus filtering (Holtzman et al., 2020): keep the smallest set of the most
 * likely tokens whose total probability reaches `p` (0 < p ≤ 1), mask the
 * rest. The most likely token is always kept; ties are broken by lower token
 * id. Uses partial selection, O(vocab) expected per row.
 */
export function topP(p: number): LogitsProcessor {
  topPValue.check('topP', p);
  const scratch = new NucleusScratch();
  return named(`topP(${p})`, (logits) => {
    if (p === 1) return logits;
    scratch.ensure(logits.length);
    // Unnormalised weights: comparing their running sum with p · total saves a pass.
    const total = expShiftedInto(logits, scratch.probs);
    // Rank by logit: the same order as probability, and on the log scale the buckets expect.
    scratch.keys.set(logits);
    maskOutsideMass(logits, p * total, scratch);
    return logits;
  });
}
