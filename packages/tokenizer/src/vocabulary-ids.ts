import { TokenizerFormatError } from './errors.js';

/**
 * Refuses a `model.vocab` (token → id) in which two tokens share an id
 * (`cat`: 5, `dog`: 5): decoding 5 can give only one of them, so the file is
 * wrong. The message names `source`, the id, the token decoding gives (the
 * last one listed, as `@huggingface/tokenizers` reads it) and the other one
 * (each cut to 40 characters).
 */
export function checkVocabularyIds(vocab: Readonly<Record<string, number>>, source: string): void {
  const decoded = new Map<number, string>();
  for (const [token, id] of Object.entries(vocab)) decoded.set(id, token);
  const show = (token: string): string => JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}…` : token);
  for (const [token, id] of Object.entries(vocab)) {
    const owner = decoded.get(id)!;
    if (owner !== token) {
      throw new TokenizerFormatError(
        `${source}: field "model.vocab" gives the id ${id} to both ${show(owner)} and ${show(token)}; ` +
          'each id must name one token (decoding would give only one of them); fix the file',
      );
    }
  }
}
