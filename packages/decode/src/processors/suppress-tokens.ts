import { checkTokenIds } from '../errors.js';
import { type LogitsProcessor, named } from '../processor.js';

/** Mask the given token ids at every step. */
export function suppressTokens(ids: readonly number[]): LogitsProcessor {
  const banned = [...checkTokenIds('suppressTokens', ids)];
  return named(`suppressTokens(${banned.length})`, (logits) => {
    for (const id of banned) if (id < logits.length) logits[id] = -Infinity;
    return logits;
  });
}
