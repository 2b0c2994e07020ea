import { type Tokenizer, tokenizerFromSpec } from '@seqloom/tokenizer';
import { DATA_DEFAULTS } from '../data/data-defaults.js';
import { DataError } from '../data/data-error.js';
import { filterPairs, type PairSource, type SkipCount } from '../data/pair-source.js';
import { type SourceSplit, splitSources } from '../data/source-split.js';
import { cutText, DEFAULT_MAX_SEQUENCE_LENGTH, inputCharacterBudget } from './input-limit.js';
import { longestTokenLength } from './longest-token.js';
import { checkedIds } from './training-data-checks.js';

/** Where encoded examples go: memory (a `PairStoreBuilder`) or a binarised file. */
export interface ExampleSink {
  /** Adds an example: source ids and target ids without the start and stop tokens. */
  add(source: readonly number[], target: readonly number[]): void;
}

/** A corpus of pairs as read: training pairs, validation pairs if given apart, and the lines skipped. */
export interface PairCorpus {
  train: PairSource;
  valid: PairSource | null;
  skips: SkipCount;
  /** Tokenizer specs a named dataset suggests when none is asked for. */
  defaultTokenizers?: { source: string; target: string };
}

/** How a pair corpus becomes ids (the data options of `seqloom train`). */
export interface PairEncodingOptions {
  validFraction?: number;
  seed?: number;
  tokenizer?: string;
  sourceTokenizer?: string;
  targetTokenizer?: string;
  tokenizers?: { source?: Tokenizer; target: Tokenizer };
  lowercase?: boolean;
  maxSourceLength?: number;
  maxTargetLength?: number;
}

/** What encoding a pair corpus counted. */
export interface PairEncodingCounts {
  train: number;
  valid: number;
  droppedTooLong: number;
  droppedExample: string | null;
  lengthLimits: { source: number; target: number };
}

/** A pair dropped for length, for the report: the side, its start and its token count. */
function describeLong(side: 'source' | 'target', text: string, tokens: number, limit: number, cut: boolean): string {
  const start = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const size = cut ? `more than ${tokens} tokens (${text.length} characters)` : `${tokens} tokens`;
  return `a ${side} of ${size} (limit ${limit}) starting ${JSON.stringify(start)}`;
}

/** The pair corpus's tokenizers: given ones, or trained on the training pairs (streamed, nothing held). */
export async function pairTokenizers(
  train: PairSource,
  options: PairEncodingOptions,
  defaults?: { source: string; target: string },
): Promise<{ source: Tokenizer; target: Tokenizer }> {
  if (options.tokenizers) return { source: options.tokenizers.source ?? options.tokenizers.target, target: options.tokenizers.target };
  const base = options.tokenizer ?? 'char';
  // A named dataset may suggest its own (CMUdict: one token per phoneme) unless --tokenizer is given.
  const suggested = options.tokenizer === undefined ? defaults : undefined;
  const sourceSpec = options.sourceTokenizer ?? suggested?.source ?? base;
  const targetSpec = options.targetTokenizer ?? suggested?.target ?? base;
  const lower = { lowercase: options.lowercase ?? false };
  const texts = (pick: (p: { source: string; target: string }) => string[]) =>
    async function* () {
      for await (const pair of train.pairs()) yield* pick(pair);
    };
  if (sourceSpec === targetSpec) {
    const shared = checkedIds(
      await tokenizerFromSpec(
        sourceSpec,
        texts((p) => [p.source, p.target]),
        lower,
      ),
      sourceSpec,
    );
    return { source: shared, target: shared };
  }
  const source = checkedIds(
    await tokenizerFromSpec(
      sourceSpec,
      texts((p) => [p.source]),
      lower,
    ),
    sourceSpec,
  );
  const target = checkedIds(
    await tokenizerFromSpec(
      targetSpec,
      texts((p) => [p.target]),
      lower,
    ),
    targetSpec,
  );
  return { source, target };
}

/**
 * Encodes a pair corpus into two sinks, streaming: a grouped, seeded split
 * (unless validation pairs are given apart), then every kept pair encoded
 * once, pairs longer than the limits dropped and counted. The examples and
 * their order are those of reading every pair into memory, splitting with
 * `splitTrainValid` (grouped by source) and encoding each side in turn.
 */
export async function encodePairCorpus(
  corpus: PairCorpus,
  split: SourceSplit | null,
  tokenizers: { source: Tokenizer; target: Tokenizer },
  options: PairEncodingOptions,
  sinks: { train: ExampleSink; valid: ExampleSink },
): Promise<PairEncodingCounts> {
  const limits = { source: options.maxSourceLength ?? DEFAULT_MAX_SEQUENCE_LENGTH, target: options.maxTargetLength ?? DEFAULT_MAX_SEQUENCE_LENGTH };
  const dropped = { train: null as string | null, valid: null as string | null, count: 0 };
  const encoder = (side: 'source' | 'target', tokenizer: Tokenizer) => {
    // A text far longer than the limit is cut before tokenising: its pair is dropped all the same,
    // without first turning (say) a 200 MB line into 200 million ids.
    const budget = inputCharacterBudget(limits[side], longestTokenLength(tokenizer));
    return (text: string, part: 'train' | 'valid'): number[] | null => {
      const cut = text.length > budget;
      let ids = tokenizer.encode(cut ? cutText(text, budget, 'seq2seq') : text);
      if (cut && ids.length <= limits[side]) ids = tokenizer.encode(text); // tokens longer than their text (never for seqloom's own)
      if (ids.length <= limits[side]) return ids;
      dropped[part] ??= describeLong(side, text, ids.length, limits[side], cut);
      return null;
    };
  };
  const encodeSource = encoder('source', tokenizers.source);
  const encodeTarget = encoder('target', tokenizers.target);
  const counts = { train: 0, valid: 0 };
  const add = (pair: { source: string; target: string }, part: 'train' | 'valid'): void => {
    const source = encodeSource(pair.source, part);
    const target = encodeTarget(pair.target, part);
    if (source === null || target === null) {
      dropped.count += 1;
      return;
    }
    sinks[part].add(source, target);
    counts[part] += 1;
  };
  for await (const pair of corpus.train.pairs()) add(pair, split?.isValid(pair.source) ? 'valid' : 'train');
  if (corpus.valid) for await (const pair of corpus.valid.pairs()) add(pair, 'valid');
  if (counts.train === 0) {
    throw new DataError('every training pair was longer than --max-source-length/--max-target-length; raise the limits', { file: corpus.train.name });
  }
  return { ...counts, droppedTooLong: dropped.count, droppedExample: dropped.train ?? dropped.valid, lengthLimits: limits };
}

/**
 * The split of a corpus without validation pairs (null: validation pairs
 * were given, or too few sources to hold any out) and its training side.
 */
export async function trainingSide(corpus: PairCorpus, options: PairEncodingOptions): Promise<{ train: PairSource; split: SourceSplit | null }> {
  if (corpus.valid !== null) return { train: corpus.train, split: null };
  const split = await splitSources(corpus.train, options.validFraction ?? DATA_DEFAULTS.validFraction, options.seed ?? DATA_DEFAULTS.seed);
  // Too few sources to hold any out: train on everything, without validation.
  if (split.validSources === 0) return { train: corpus.train, split: null };
  return { train: filterPairs(corpus.train, (p) => !split.isValid(p.source)), split };
}
