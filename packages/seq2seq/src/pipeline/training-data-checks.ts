import type { Tokenizer } from '@seqloom/tokenizer';
import { sharedIdMessage, sharedVocabularyId } from '../checkpoint/vocabulary-ids.js';
import { DataError } from '../data/data-error.js';
import { exampleList } from '../data/example-list.js';
import { WindowStore } from '../data/example-store.js';
import { tokenArrayFor } from '../data/pair-store-builder.js';
import type { LmWindowOptions, SequenceExample } from '../data/sequence-example.js';

/** A tokenizer (from a file: a spec may be a path) whose vocabulary gives each id to one token only. */
export function checkedIds(tokenizer: Tokenizer, spec: string): Tokenizer {
  const shared = sharedVocabularyId(tokenizer.toJSON());
  if (shared) throw new DataError(sharedIdMessage(shared), { file: spec });
  return tokenizer;
}

/** The token stream `[bos, ...ids, eos]` of a text, in the smallest typed array its ids fit. */
function tokenStream(text: string, options: LmWindowOptions) {
  const ids = options.encode(text);
  let largest = Math.max(options.bosId, options.eosId);
  for (const id of ids) if (id > largest) largest = id;
  const stream = tokenArrayFor(largest + 1, ids.length + 2);
  stream[0] = options.bosId;
  stream.set(ids, 1);
  stream[ids.length + 1] = options.eosId;
  return stream;
}

/**
 * The lm windows of `text` (those of `lmWindows`), held as one typed token
 * stream; a text of more tokens than a JavaScript array holds (some 130
 * million: a 200 MB line of characters) is a {@link DataError} naming the
 * file, not an internal "Invalid array length".
 */
export function lmWindowsOf(text: string, options: LmWindowOptions, file: string): SequenceExample[] {
  if (!Number.isInteger(options.windowSize) || options.windowSize < 1) {
    throw new DataError(`windowSize must be a positive integer, got ${options.windowSize}`);
  }
  try {
    return exampleList(new WindowStore(tokenStream(text, options), options.windowSize));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new DataError(
      `${text.length} characters of text are more tokens than language-model training holds in memory at once; ` + 'train on a shorter text (split the file)',
      { file },
    );
  }
}
