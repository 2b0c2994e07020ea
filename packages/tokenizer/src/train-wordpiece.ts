import { learnMerges } from './bpe-merges.js';
import type { Corpus, ProgressOptions } from './corpus.js';
import { forEachText } from './corpus.js';
import { TokenizerOptionError } from './errors.js';
import { preTokenizerFor, wordCounter } from './pre-tokenize.js';
import type { SpecialTokens } from './special-tokens.js';
import { resolveSpecialTokens, specialTokenList } from './special-tokens.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { checkVocabSize, integerOption, trainedTokenizerJson } from './trained-layout.js';

/** Options of {@link trainWordPieceTokenizer}. */
export interface WordPieceTrainerOptions extends ProgressOptions {
  /** Target vocabulary size, special tokens and the alphabet included. Default 8000. */
  vocabSize?: number;
  /** Stop merging when the most frequent pair occurs fewer times than this. Default 2. */
  minFrequency?: number;
  /** Lowercase (BERT uncased). Default true. */
  lowercase?: boolean;
  /** Prefix marking a piece that continues a word. Default '##'. */
  continuingSubwordPrefix?: string;
  specialTokens?: Partial<SpecialTokens>;
}

/** The continuation prefix: a non-empty string without whitespace (default '##'). */
function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return '##';
  if (typeof prefix !== 'string' || prefix === '' || /\s/.test(prefix)) {
    throw new TokenizerOptionError(`continuingSubwordPrefix must be a non-empty string without whitespace (e.g. '##'), got ${JSON.stringify(prefix)}`);
  }
  return prefix;
}

/** Spell each word as its first character then prefixed continuation characters. */
function spellWords(counts: Map<string, number>, prefix: string): { words: Int32Array[]; freq: number[]; symbols: string[] } {
  const symbolIds = new Map<string, number>();
  const symbols: string[] = [];
  const words: Int32Array[] = [];
  const freq: number[] = [];
  const idOf = (symbol: string): number => {
    let id = symbolIds.get(symbol);
    if (id === undefined) {
      id = symbols.length;
      symbols.push(symbol);
      symbolIds.set(symbol, id);
    }
    return id;
  };
  for (const [word, count] of counts) {
    const chars = Array.from(word);
    words.push(Int32Array.from(chars, (ch, i) => idOf(i === 0 ? ch : prefix + ch)));
    freq.push(count);
  }
  return { words, freq, symbols };
}

/**
 * Train a BERT-style WordPiece tokenizer: BertNormalizer, BertPreTokenizer, a
 * WordPiece model whose word-internal pieces carry the `##` prefix, and the WordPiece
 * decoder. The vocabulary is learnt with the same incremental pair-merge learner as BPE.
 */
export async function trainWordPieceTokenizer(corpus: Corpus, options: WordPieceTrainerOptions = {}): Promise<TokenizerJson> {
  const specials = resolveSpecialTokens(options.specialTokens);
  const reserved = specialTokenList(specials).length;
  const vocabSize = integerOption(options.vocabSize, 'vocabSize', 8000, 1);
  const minFrequency = integerOption(options.minFrequency, 'minFrequency', 2, 1);
  const prefix = checkPrefix(options.continuingSubwordPrefix);
  const normalizer = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: options.lowercase ?? true };
  const preTokenizer = { type: 'BertPreTokenizer' };
  const counter = wordCounter(preTokenizerFor(normalizer, preTokenizer));
  await forEachText(corpus, counter.add, options.onProgress);
  const { words, freq, symbols: alphabet } = spellWords(counter.counts, prefix);
  checkVocabSize(vocabSize, alphabet.length, reserved, 'corpus alphabet of characters and ## continuations');
  const strip = (piece: string): string => (piece.startsWith(prefix) ? piece.slice(prefix.length) : piece);
  const { symbols } = learnMerges({
    words,
    counts: freq,
    symbols: alphabet,
    maxSymbols: vocabSize - reserved,
    minFrequency,
    combine: (a, b) => a + strip(b),
    onProgress: options.onProgress,
  });
  return trainedTokenizerJson({
    specials,
    tokens: symbols,
    model: { type: 'WordPiece', unk_token: specials.unk, continuing_subword_prefix: prefix, max_input_chars_per_word: 100 },
    normalizer,
    preTokenizer,
    decoder: { type: 'WordPiece', prefix, cleanup: true },
  });
}
