import { integer } from '../option-values.js';
import { type LogitsProcessor, named } from '../processor.js';

/** The n-gram size of no-repeat-n-gram. */
export const noRepeatNgramValue = integer({ min: 1 });

/**
 * Forbid any n-gram from occurring twice in a row's generated tokens: a token
 * is masked when, appended to the last n − 1 tokens, it would repeat an
 * n-gram already present. n = 1 forbids repeating any token.
 */
export function noRepeatNgram(n: number): LogitsProcessor {
  noRepeatNgramValue.check('noRepeatNgramSize', n);
  return named(`noRepeatNgram(${n})`, (logits, { tokens }) => {
    const len = tokens.length;
    if (len < n - 1) return logits;
    const prefixStart = len - (n - 1);
    // Every earlier window whose first n − 1 tokens equal the current suffix bans its n-th token.
    for (let start = 0; start + n - 1 < len; start++) {
      let match = true;
      for (let j = 0; j < n - 1; j++) {
        if (tokens[start + j] !== tokens[prefixStart + j]) {
          match = false;
          break;
        }
      }
      if (match) {
        const banned = tokens[start + n - 1];
        if (banned >= 0 && banned < logits.length) logits[banned] = -Infinity;
      }
    }
    return logits;
  });
}
