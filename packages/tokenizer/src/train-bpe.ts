import { learnMerges } from './bpe-merges.js';
import { BYTE_TO_SYMBOL, gpt2SplitRegex, utf8Bytes } from './byte-level.js';
import type { Corpus, ProgressOptions } from './corpus.js';
import { forEachText } from './corpus.js';
import type { SpecialTokens } from './special-tokens.js';
import { resolveSpecialTokens, specialTokenList } from './special-tokens.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { checkVocabSize, integerOption, trainedTokenizerJson } from './trained-layout.js';

/** Options of {@link trainBpeTokenizer}. */
export interface BpeTrainerOptions extends ProgressOptions {
  /** Target vocabulary size, special tokens and the 256 byte symbols included. Default 8000. */
  vocabSize?: number;
  /** Stop merging when the most frequent pair occurs fewer times than this. Default 2. */
  minFrequency?: number;
  specialTokens?: Partial<SpecialTokens>;
}

/** Count GPT-2 pre-tokens of every text (raw strings; byte mapping happens once per unique word). */
function countPreTokens(): { add: (text: string) => void; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return {
    counts,
    add: (text) => {
      const regex = gpt2SplitRegex();
      for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
        const piece = m[0];
        counts.set(piece, (counts.get(piece) ?? 0) + 1);
      }
    },
  };
}

/**
 * Train a GPT-2 style byte-level BPE: ByteLevel pre-tokenizer and decoder, all 256
 * byte symbols in the vocabulary (so no text is ever unknown), then merges learnt
 * with incrementally updated pair counts until `vocabSize` is reached.
 */
export async function trainBpeTokenizer(corpus: Corpus, options: BpeTrainerOptions = {}): Promise<TokenizerJson> {
  const specials = resolveSpecialTokens(options.specialTokens);
  const reserved = specialTokenList(specials).length;
  const vocabSize = integerOption(options.vocabSize, 'vocabSize', 8000, 1);
  checkVocabSize(vocabSize, 256, reserved, 'byte alphabet');
  const minFrequency = integerOption(options.minFrequency, 'minFrequency', 2, 1);
  const counter = countPreTokens();
  await forEachText(corpus, counter.add, options.onProgress);
  const words: Int32Array[] = [];
  const counts: number[] = [];
  for (const [piece, count] of counter.counts) {
    words.push(Int32Array.from(utf8Bytes(piece)));
    counts.push(count);
  }
  counter.counts.clear();
  const { symbols, merges } = learnMerges({
    words,
    counts,
    symbols: BYTE_TO_SYMBOL.slice(),
    maxSymbols: vocabSize - reserved,
    minFrequency,
    combine: (a, b) => a + b,
    onProgress: options.onProgress,
  });
  return trainedTokenizerJson({
    specials,
    tokens: symbols,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
    normalizer: null,
    preTokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  });
}
