import type { Tokenizer } from '@seqloom/tokenizer';
import { sharedIdMessage, sharedVocabularyId } from '../checkpoint/vocabulary-ids.js';
import { DataError } from '../data/data-error.js';
import { lmWindows, type SequenceExample } from '../data/sequence-example.js';

/** A tokenizer (from a file: a spec may be a path) whose vocabulary gives each id to one token only. */
export function checkedIds(tokenizer: Tokenizer, spec: string): Tokenizer {
  const shared = sharedVocabularyId(tokenizer.toJSON());
  if (shared) throw new DataError(sharedIdMessage(shared), { file: spec });
  return tokenizer;
}

/**
 * The lm windows of `text`; a text of more tokens than a JavaScript array
 * holds (some 130 million: a 200 MB line of characters) is a {@link DataError}
 * naming the file, not an internal "Invalid array length".
 */
export function lmWindowsOf(text: string, options: Parameters<typeof lmWindows>[1], file: string): SequenceExample[] {
  try {
    return lmWindows(text, options);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new DataError(
      `${text.length} characters of text are more tokens than language-model training holds in memory at once; ` +
        'train on a shorter text (split the file)',
      { file },
    );
  }
}
