import { number } from '../option-values.js';
import { type LogitsProcessor, named } from '../processor.js';

/** The divisor of a repetition penalty. */
export const repetitionPenaltyValue = number({ min: 0, minExclusive: true, note: '1 = no penalty' });

/**
 * Repetition penalty (Keskar et al., 2019, CTRL): for every token already
 * generated in the row, a positive logit is divided by `x` and a negative one
 * multiplied by `x`. x > 1 discourages repetition, x = 1 is neutral, 0 < x < 1
 * encourages it. Each token is penalised once, however often it occurred.
 */
export function repetitionPenalty(x: number): LogitsProcessor {
  repetitionPenaltyValue.check('repetitionPenalty', x);
  let seen = new Uint8Array(0);
  return named(`repetitionPenalty(${x})`, (logits, { tokens }) => {
    if (x === 1 || tokens.length === 0) return logits;
    if (seen.length < logits.length) seen = new Uint8Array(logits.length);
    for (const t of tokens) {
      if (t < 0 || t >= logits.length || seen[t] === 1) continue;
      seen[t] = 1;
      const v = logits[t];
      logits[t] = v > 0 ? v / x : v * x;
    }
    for (const t of tokens) if (t >= 0 && t < logits.length) seen[t] = 0;
    return logits;
  });
}
