import { checkTokenIds, DecodeOptionError } from '../errors.js';
import { type LogitsProcessor, named } from '../processor.js';

/**
 * Forbid token sequences: for each banned sequence s, when the row's tokens
 * end with s without its last token, that last token is masked. A
 * one-token sequence bans the token everywhere.
 */
export function bannedSequences(sequences: readonly (readonly number[])[]): LogitsProcessor {
  if (!Array.isArray(sequences)) {
    throw new DecodeOptionError('bannedSequences', 'expected an array of token-id arrays, e.g. [[5], [7, 8]]');
  }
  const seqs = sequences.map((s, i) => {
    const ids = checkTokenIds(`bannedSequences[${i}]`, s);
    if (ids.length === 0) throw new DecodeOptionError(`bannedSequences[${i}]`, 'a banned sequence must not be empty');
    return [...ids];
  });
  return named(`bannedSequences(${seqs.length})`, (logits, { tokens }) => {
    for (const s of seqs) {
      const last = s[s.length - 1];
      const prefix = s.length - 1;
      if (last >= logits.length || tokens.length < prefix) continue;
      let match = true;
      for (let j = 0; j < prefix; j++) {
        if (tokens[tokens.length - prefix + j] !== s[j]) {
          match = false;
          break;
        }
      }
      if (match) logits[last] = -Infinity;
    }
    return logits;
  });
}
