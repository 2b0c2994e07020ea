import { CHAR_PRE_TOKENIZER } from './char-encoder.js';
import type { Corpus, ProgressOptions } from './corpus.js';
import { forEachText } from './corpus.js';
import { preTokenizerFor } from './pre-tokenize.js';
import type { SpecialTokens } from './special-tokens.js';
import { resolveSpecialTokens, specialTokenList } from './special-tokens.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { integerOption, normalizerFor, trainedTokenizerJson } from './trained-layout.js';

/** Options of {@link trainCharTokenizer}. */
export interface CharTrainerOptions extends ProgressOptions {
  /** Keep characters seen at least this often (others become unk). Default 1. */
  minCount?: number;
  /** Keep at most this many tokens, special tokens included (most frequent characters win). */
  maxVocabSize?: number;
  /** Apply Unicode NFKC normalisation. Default false. */
  nfkc?: boolean;
  /** Lowercase the text. Default false. */
  lowercase?: boolean;
  specialTokens?: Partial<SpecialTokens>;
}

/** Sort tokens by count (descending), then by code unit order, for a deterministic vocabulary. */
export function byFrequency(counts: Map<string, number>, minCount: number): string[] {
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([token]) => token);
}

/**
 * Train a character tokenizer: a WordLevel model over the corpus alphabet with a
 * Split pre-tokenizer (one piece per character) and a Fuse decoder, so decoding
 * restores the text exactly (unknown characters become unk).
 */
export async function trainCharTokenizer(corpus: Corpus, options: CharTrainerOptions = {}): Promise<TokenizerJson> {
  const minCount = integerOption(options.minCount, 'minCount', 1, 1);
  const specials = resolveSpecialTokens(options.specialTokens);
  const reserved = specialTokenList(specials).length;
  const maxVocabSize = integerOption(options.maxVocabSize, 'maxVocabSize', Number.MAX_SAFE_INTEGER, reserved + 1);
  const normalizer = normalizerFor(options.nfkc === true, options.lowercase === true);
  const normalize = preTokenizerFor(normalizer, null);
  const counts = new Map<string, number>();
  await forEachText(
    corpus,
    (text) => {
      for (const ch of normalize(text)[0]) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    },
    options.onProgress,
  );
  const taken = new Set(specialTokenList(specials));
  const alphabet = byFrequency(counts, minCount)
    .filter((ch) => !taken.has(ch))
    .slice(0, maxVocabSize - reserved);
  options.onProgress?.({ phase: 'merge', done: alphabet.length, total: alphabet.length });
  return trainedTokenizerJson({
    specials,
    tokens: alphabet,
    model: { type: 'WordLevel', unk_token: specials.unk },
    normalizer,
    preTokenizer: { ...CHAR_PRE_TOKENIZER },
    decoder: { type: 'Fuse' },
  });
}
