import { checkNumber } from '../errors.js';
import { named, type LogitsProcessor } from '../processor.js';

/**
 * Min-p filtering (Nguyen et al., 2024): keep tokens whose probability is at
 * least `p` times the probability of the most likely token (0 ≤ p ≤ 1), i.e.
 * logit ≥ max logit + ln p. p = 0 keeps everything.
 */
export function minP(p: number): LogitsProcessor {
  checkNumber('minP', p, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const logP = Math.log(p);
  return named(`minP(${p})`, (logits) => {
    if (p === 0) return logits;
    let max = -Infinity;
    for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
    const threshold = max + logP;
    for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = -Infinity;
    return logits;
  });
}
