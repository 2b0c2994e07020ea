import type { Corpus, TrainingProgress } from './corpus.js';
import { TokenizerOptionError } from './errors.js';
import { loadTokenizer } from './load-tokenizer.js';
import { tokenizerFromJson } from './node-tokenizer.js';
import type { Tokenizer } from './tokenizer.js';
import { trainBpeTokenizer } from './train-bpe.js';
import { trainCharTokenizer } from './train-char.js';
import { trainWordTokenizer } from './train-word.js';
import { trainWordPieceTokenizer } from './train-wordpiece.js';

/**
 * A tokenizer named the way the command line names it: `char`, `word`,
 * `bpe:<vocab size>`, `wordpiece:<vocab size>`, or a path to a tokenizer.json
 * (or a folder holding one).
 */
export type TokenizerSpec =
  | { kind: 'char' }
  | { kind: 'word' }
  | { kind: 'bpe'; vocabSize: number }
  | { kind: 'wordpiece'; vocabSize: number }
  | { kind: 'file'; path: string };

const FORMS = '"char", "word", "bpe:<vocab size>", "wordpiece:<vocab size>" or a path to a tokenizer.json';

/** Parses `char` / `word` / `bpe:8000` / `wordpiece:8000` / a path. */
export function parseTokenizerSpec(text: string): TokenizerSpec {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new TokenizerOptionError(`tokenizer must be ${FORMS}; got ${JSON.stringify(text)}`);
  }
  if (text === 'char' || text === 'word') return { kind: text };
  const sized = /^(bpe|wordpiece):(.*)$/.exec(text);
  if (sized) {
    const vocabSize = Number(sized[2]);
    if (!Number.isInteger(vocabSize) || vocabSize < 8) {
      throw new TokenizerOptionError(`tokenizer "${text}": the vocabulary size after "${sized[1]}:" must be an integer ≥ 8, e.g. ${sized[1]}:8000`);
    }
    return { kind: sized[1] as 'bpe' | 'wordpiece', vocabSize };
  }
  if (/[/\\.]/.test(text)) return { kind: 'file', path: text };
  throw new TokenizerOptionError(`unknown tokenizer "${text}"; expected ${FORMS}`);
}

/** Options of {@link tokenizerFromSpec}. */
export interface TokenizerFromSpecOptions {
  /** Lowercase text in trained char/word tokenizers (WordPiece lowercases anyway). Default false. */
  lowercase?: boolean;
  onProgress?: (progress: TrainingProgress) => void;
}

/**
 * Builds the tokenizer a spec names: trains `char`, `word`, `bpe:<n>` or
 * `wordpiece:<n>` on `corpus` (a function, so the corpus is only read when a
 * tokenizer is trained), or loads a tokenizer.json.
 */
export async function tokenizerFromSpec(spec: string | TokenizerSpec, corpus: () => Corpus, options: TokenizerFromSpecOptions = {}): Promise<Tokenizer> {
  const parsed = typeof spec === 'string' ? parseTokenizerSpec(spec) : spec;
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  switch (parsed.kind) {
    case 'file':
      return loadTokenizer(parsed.path);
    case 'char':
      return tokenizerFromJson(await trainCharTokenizer(corpus(), { lowercase: options.lowercase ?? false, ...progress }));
    case 'word':
      return tokenizerFromJson(await trainWordTokenizer(corpus(), { lowercase: options.lowercase ?? false, ...progress }));
    case 'bpe':
      return tokenizerFromJson(await trainBpeTokenizer(corpus(), { vocabSize: parsed.vocabSize, ...progress }));
    case 'wordpiece':
      return tokenizerFromJson(await trainWordPieceTokenizer(corpus(), { vocabSize: parsed.vocabSize, ...progress }));
  }
}
