import { softmaxInto } from '../log-softmax.js';
import { number } from '../option-values.js';
import { type LogitsProcessor, named } from '../processor.js';
import { maskOutsideMass, NucleusScratch } from './nucleus-mask.js';

/** The probability mass of locally typical filtering. */
export const typicalPValue = number({ min: 0, minExclusive: true, max: 1 });

/**
 * Locally typical sampling (Meister et al., 2023): with H the entropy of the
 * row's distribution, rank tokens by how close their surprisal −log p(x) is
 * to H and keep the smallest set, in that order, whose probability reaches
 * `p` (0 < p ≤ 1).
 */
export function typicalP(p: number): LogitsProcessor {
  typicalPValue.check('typicalP', p);
  const scratch = new NucleusScratch();
  return named(`typicalP(${p})`, (logits) => {
    if (p === 1) return logits;
    const n = logits.length;
    scratch.ensure(n);
    softmaxInto(logits, scratch.probs);
    let entropy = 0;
    for (let i = 0; i < n; i++) {
      const q = scratch.probs[i];
      if (q > 0) entropy -= q * Math.log(q);
    }
    for (let i = 0; i < n; i++) {
      const q = scratch.probs[i];
      scratch.keys[i] = q > 0 ? -Math.abs(-Math.log(q) - entropy) : -Infinity;
    }
    maskOutsideMass(logits, p, scratch);
    return logits;
  });
}
