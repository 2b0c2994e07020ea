import type { Tokenizer } from '@seqloom/tokenizer';

const cache = new WeakMap<Tokenizer, number>();

/**
 * Characters (UTF-16 units) of the longest token of `tokenizer`: its
 * vocabulary and added tokens. No token covers more of a text than that
 * (byte-level tokens cover at most one character per byte, continuation
 * prefixes such as `##` only make a token longer than what it covers) —
 * except an unknown-word token, which is why inputs are cut generously.
 */
export function longestTokenLength(tokenizer: Tokenizer): number {
  const known = cache.get(tokenizer);
  if (known !== undefined) return known;
  const json = tokenizer.toJSON();
  let longest = 1;
  const vocab = json.model.vocab;
  const tokens = Array.isArray(vocab) ? vocab.map(([token]) => token) : Object.keys(vocab);
  for (const token of tokens) if (token.length > longest) longest = token.length;
  for (const added of json.added_tokens) if (added.content.length > longest) longest = added.content.length;
  cache.set(tokenizer, longest);
  return longest;
}
