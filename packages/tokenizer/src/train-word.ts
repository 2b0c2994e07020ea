import type { Corpus, ProgressOptions } from './corpus.js';
import { forEachText } from './corpus.js';
import { TokenizerOptionError } from './errors.js';
import { findPatternHazard } from './pattern-safety.js';
import { preTokenizerFor, wordCounter } from './pre-tokenize.js';
import type { SpecialTokens } from './special-tokens.js';
import { resolveSpecialTokens, specialTokenList } from './special-tokens.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { byFrequency } from './train-char.js';
import { integerOption, normalizerFor, trainedTokenizerJson } from './trained-layout.js';

/** Default word pattern: runs of word characters, or runs of other non-space characters. */
export const DEFAULT_WORD_PATTERN = '\\w+|[^\\w\\s]+';

/** Options of {@link trainWordTokenizer}. */
export interface WordTrainerOptions extends ProgressOptions {
  /** Regex (Oniguruma/JS-compatible source) matching one word; text between matches is dropped. */
  pattern?: string;
  /** Keep at most this many tokens, special tokens included. */
  maxVocabSize?: number;
  /** Keep words seen at least this often. Default 1. */
  minFrequency?: number;
  /** Lowercase the text. Default false. */
  lowercase?: boolean;
  /** Apply Unicode NFKC normalisation. Default false. */
  nfkc?: boolean;
  specialTokens?: Partial<SpecialTokens>;
}

function checkPattern(pattern: unknown): string {
  if (pattern === undefined) return DEFAULT_WORD_PATTERN;
  if (typeof pattern !== 'string' || pattern === '') {
    throw new TokenizerOptionError(`pattern must be a non-empty regular expression string, got ${JSON.stringify(pattern)}`);
  }
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new TokenizerOptionError(`pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message})`);
  }
  const hazard = findPatternHazard(pattern);
  if (hazard) {
    throw new TokenizerOptionError(
      `pattern ${JSON.stringify(pattern)} would make a tokenizer.json that seqloom refuses to load: ${hazard.reason}; ${hazard.fix}`,
    );
  }
  return pattern;
}

/**
 * Train a word tokenizer: a WordLevel model over the most frequent words, with a
 * Split pre-tokenizer keeping the pattern's matches. Decoding joins words with a
 * single space (the spacing of the original text is not kept).
 */
export async function trainWordTokenizer(corpus: Corpus, options: WordTrainerOptions = {}): Promise<TokenizerJson> {
  const pattern = checkPattern(options.pattern);
  const minFrequency = integerOption(options.minFrequency, 'minFrequency', 1, 1);
  const specials = resolveSpecialTokens(options.specialTokens);
  const reserved = specialTokenList(specials).length;
  const maxVocabSize = integerOption(options.maxVocabSize, 'maxVocabSize', Number.MAX_SAFE_INTEGER, reserved + 1);
  const normalizer = normalizerFor(options.nfkc === true, options.lowercase === true);
  const preTokenizer = { type: 'Split', pattern: { Regex: pattern }, behavior: 'Removed', invert: true };
  const counter = wordCounter(preTokenizerFor(normalizer, preTokenizer));
  await forEachText(corpus, counter.add, options.onProgress);
  const taken = new Set(specialTokenList(specials));
  const words = byFrequency(counter.counts, minFrequency)
    .filter((w) => !taken.has(w))
    .slice(0, maxVocabSize - reserved);
  options.onProgress?.({ phase: 'merge', done: words.length, total: words.length });
  return trainedTokenizerJson({
    specials,
    tokens: words,
    model: { type: 'WordLevel', unk_token: specials.unk },
    normalizer,
    preTokenizer,
    decoder: null,
  });
}
