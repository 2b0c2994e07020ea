import { checkInteger, DecodeOptionError } from '../errors.js';
import { type LogitsProcessor, named } from '../processor.js';

/**
 * Force `id` at one position: when a row holds exactly `position()` tokens,
 * every other token is masked and `id` gets log-probability 0 (Hugging Face's
 * forced BOS and forced EOS processors). `option` names the option in errors.
 */
export function forcedToken(option: string, id: number, at: number): LogitsProcessor {
  checkInteger(option, id, 0);
  return named(`${option}(${id})`, (logits, { tokens }) => {
    if (tokens.length !== at) return logits;
    if (id >= logits.length) throw new DecodeOptionError(option, `token id ${id} is outside the vocabulary (size ${logits.length})`);
    logits.fill(-Infinity);
    logits[id] = 0;
    return logits;
  });
}
