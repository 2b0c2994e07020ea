import { checkInteger } from '../errors.js';
import { type LogitsProcessor, named } from '../processor.js';

/**
 * Mask the stop token `eosId` until the row has generated `n` tokens, so
 * every output has at least n tokens before the stop token.
 */
export function minNewTokens(n: number, eosId: number): LogitsProcessor {
  checkInteger('minNewTokens', n, 0);
  checkInteger('minNewTokens eosId', eosId, 0);
  return named(`minNewTokens(${n})`, (logits, { tokens }) => {
    if (tokens.length < n && eosId < logits.length) logits[eosId] = -Infinity;
    return logits;
  });
}
