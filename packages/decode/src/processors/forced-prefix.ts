import { checkTokenIds, DecodeOptionError } from '../errors.js';
import { type LogitsProcessor, named } from '../processor.js';

/**
 * Force the first generated tokens to be `ids` (e.g. priming text for a
 * language model): while the row has generated i < ids.length tokens, every
 * token except ids[i] is masked. Forced tokens get log-probability 0 in the
 * processed distribution.
 */
export function forcedPrefix(ids: readonly number[]): LogitsProcessor {
  const prefix = [...checkTokenIds('forcedPrefix', ids)];
  return named(`forcedPrefix(${prefix.length})`, (logits, { tokens }) => {
    const i = tokens.length;
    if (i >= prefix.length) return logits;
    const forced = prefix[i];
    if (forced >= logits.length) {
      throw new DecodeOptionError('forcedPrefix', `token id ${forced} is outside the vocabulary (size ${logits.length})`);
    }
    for (let v = 0; v < logits.length; v++) if (v !== forced) logits[v] = -Infinity;
    // A forced token stays allowed even if the model gave it -Infinity.
    logits[forced] = 0;
    return logits;
  });
}
