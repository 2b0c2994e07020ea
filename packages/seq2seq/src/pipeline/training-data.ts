import { extname, resolve } from 'node:path';
import { tokenizerFromSpec, type Tokenizer } from '@seqloom/tokenizer';
import { DataError } from '../data/data-error.js';
import { pairFormatOf, readPairs, type PairFormat, type TextPair } from '../data/read-pairs.js';
import { readText } from '../data/read-text.js';
import { encodePairs, type SequenceExample } from '../data/sequence-example.js';
import { splitTrainValid } from '../data/split.js';
import type { Task } from '../model-contract.js';
import type { DatasetCatalog, MultiReferenceExample } from './dataset-catalog.js';
import { cutText, DEFAULT_MAX_SEQUENCE_LENGTH, inputCharacterBudget } from './input-limit.js';
import { longestTokenLength } from './longest-token.js';
import { checkedIds, lmWindowsOf } from './training-data-checks.js';

/** Where training data comes from and how it becomes ids (the options of `seqloom train`). */
export interface TrainingDataOptions {
  /**
   * A TSV/JSONL pairs file, a text file (lm), a dataset name of `datasets`
   * (`cmudict`, `moby-dick` with `@seqloom/datasets`), or pairs in memory (with optional validation pairs).
   */
  data: string | { train: readonly TextPair[]; valid?: readonly TextPair[] };
  /** Named datasets that `data` and `valid` may give instead of a path (e.g. `builtinDatasets` of `@seqloom/datasets`). */
  datasets?: DatasetCatalog;
  /** Validation data in the same form; default: a seeded split of `data` (or the built-in valid split). */
  valid?: string;
  /**
   * Share held out for validation when `valid` is not given (built-ins use their
   * fixed split). Default 0.05. When that rounds to no example at all, there is
   * no validation data.
   */
  validFraction?: number;
  /** Default: the built-in dataset's task, `lm` for `format: 'text'` or a `.txt` file, else `seq2seq`. */
  task?: Task;
  /** Default: from the file extension (`.jsonl` → jsonl, `.txt` with task lm → text, else tsv). */
  format?: PairFormat | 'text';
  /**
   * Tokenizer spec for both sides (`char`, `word`, `bpe:<n>`, `wordpiece:<n>`, a path).
   * Default `char`, or the dataset's own defaults (for `cmudict` and `cmudict:g2p-seq2seq`: `char` sources,
   * `word` targets, one token per phoneme).
   */
  tokenizer?: string;
  sourceTokenizer?: string;
  targetTokenizer?: string;
  /** Ready tokenizers (e.g. from a checkpoint being resumed); used instead of training new ones. */
  tokenizers?: { source?: Tokenizer; target: Tokenizer };
  /** Lowercase text in trained char/word tokenizers (kept in tokenizer.json, so inference lowercases too). */
  lowercase?: boolean;
  /** Pairs whose source has more tokens are dropped (and counted). Default {@link DEFAULT_MAX_SEQUENCE_LENGTH}. */
  maxSourceLength?: number;
  /** Pairs whose target has more tokens are dropped (and counted). Default {@link DEFAULT_MAX_SEQUENCE_LENGTH}. */
  maxTargetLength?: number;
  /** Tokens per lm training window. Default 128. */
  window?: number;
  skipBadLines?: boolean;
  /** Seed of the validation split. Default 42. */
  seed?: number;
  /** Directory relative paths are resolved against. Default the process working directory. */
  cwd?: string;
}

/** Training data as ids, with the tokenizers that produced them. */
export interface TrainingData {
  task: Task;
  train: SequenceExample[];
  valid: SequenceExample[];
  /** Source tokenizer (the target one for lm, or when both sides share one). */
  sourceTokenizer: Tokenizer;
  targetTokenizer: Tokenizer;
  stats: TrainingDataStats;
}

/** What {@link prepareTrainingData} read, kept and dropped. */
export interface TrainingDataStats {
  trainExamples: number;
  validExamples: number;
  skippedLines: number;
  /** Pairs dropped for a side longer than the limits (training and validation). */
  droppedTooLong: number;
  /** The limits applied (tokens per side; lm: none). */
  lengthLimits: { source: number; target: number } | null;
  /** One dropped pair, described (its start and token counts), when any was dropped. */
  droppedExample: string | null;
  skippedExamples: string[];
}

type RawData =
  | {
      task: 'seq2seq';
      train: TextPair[];
      valid: TextPair[] | null;
      skipped: number;
      skippedExamples: string[];
      defaultTokenizers?: { source: string; target: string };
    }
  | { task: 'lm'; train: string; valid: string | null; skipped: number; skippedExamples: string[] };

/**
 * Reads training (and validation) data, trains or reuses tokenizers on the
 * training side only, and encodes everything into shifted id examples with
 * the stop token appended — everything `train()` needs besides the model.
 */
export async function prepareTrainingData(options: TrainingDataOptions): Promise<TrainingData> {
  const raw = await readRawData(options);
  if (raw.task === 'lm') return prepareLm(raw, options);
  return prepareSeq2seq(raw, options);
}

async function readRawData(options: TrainingDataOptions): Promise<RawData> {
  const cwd = options.cwd ?? process.cwd();
  const data = options.data;
  if (typeof data !== 'string') {
    if (data.train.length === 0) throw new DataError('no training pairs given');
    return { task: 'seq2seq', train: [...data.train], valid: data.valid ? [...data.valid] : null, skipped: 0, skippedExamples: [] };
  }
  if (options.datasets?.has(data)) {
    const ds = options.datasets.load(data);
    if (options.task && options.task !== ds.task) {
      throw new DataError(`built-in dataset "${data}" is for task ${ds.task}; drop --task ${options.task} or choose another dataset`);
    }
    const valid = options.valid ? await readSide(options.valid, ds.task, options, cwd) : null;
    if (ds.task === 'lm') {
      return { task: 'lm', train: ds.splits.train, valid: (valid as string | null) ?? ds.splits.valid, skipped: 0, skippedExamples: [] };
    }
    const builtinValid = ds.splits.valid.flatMap((e) => e.targets.map((target) => ({ source: e.source, target })));
    const train = ds.splits.train.flatMap((e) => e.targets.map((target) => ({ source: e.source, target })));
    return {
      task: 'seq2seq',
      train,
      valid: (valid as TextPair[] | null) ?? builtinValid,
      skipped: 0,
      skippedExamples: [],
      ...(ds.defaultTokenizers ? { defaultTokenizers: ds.defaultTokenizers } : {}),
    };
  }
  const task: Task = options.task ?? (options.format === 'text' || dataKind(data, options.datasets) === 'text' ? 'lm' : 'seq2seq');
  if (task === 'lm') {
    const train = await readText(resolve(cwd, data));
    const valid = options.valid ? ((await readSide(options.valid, 'lm', options, cwd)) as string) : null;
    return { task, train, valid, skipped: 0, skippedExamples: [] };
  }
  const format = options.format === 'text' ? undefined : options.format;
  const read = await readPairs(resolve(cwd, data), { ...(format ? { format } : {}), skipBadLines: options.skipBadLines ?? false });
  let skipped = read.skipped;
  const skippedExamples = [...read.skippedExamples];
  let valid: TextPair[] | null = null;
  if (options.valid) {
    const v = await readPairs(resolve(cwd, options.valid), { ...(format ? { format } : {}), skipBadLines: options.skipBadLines ?? false });
    valid = v.pairs;
    skipped += v.skipped;
    skippedExamples.push(...v.skippedExamples);
  }
  if (read.pairs.length === 0) throw new DataError('no source/target pairs found; expected `source<TAB>target` lines', { file: data });
  return { task, train: read.pairs, valid, skipped, skippedExamples };
}

async function readSide(name: string, task: Task, options: TrainingDataOptions, cwd: string): Promise<string | TextPair[]> {
  if (options.datasets?.has(name)) {
    const ds = options.datasets.load(name);
    if (ds.task !== task) throw new DataError(`--valid ${name} is a ${ds.task} dataset but the task is ${task}`);
    return ds.task === 'lm' ? ds.splits.valid : ds.splits.valid.flatMap((e) => e.targets.map((target) => ({ source: e.source, target })));
  }
  if (task === 'lm') return readText(resolve(cwd, name));
  const format = options.format === 'text' ? undefined : options.format;
  return (await readPairs(resolve(cwd, name), { ...(format ? { format } : {}), skipBadLines: options.skipBadLines ?? false })).pairs;
}

async function prepareSeq2seq(raw: Extract<RawData, { task: 'seq2seq' }>, options: TrainingDataOptions): Promise<TrainingData> {
  let { train, valid } = raw;
  if (valid === null) {
    const fraction = options.validFraction ?? 0.05;
    const sources = new Set(train.map((p) => p.source)).size;
    if (Math.round(sources * fraction) === 0) {
      // Too few sources to hold any out: train on everything, without validation.
      valid = [];
    } else {
      const split = splitTrainValid(train, { validFraction: fraction, seed: options.seed ?? 42, groupBy: (p) => p.source });
      [train, valid] = [split.train, split.valid];
    }
  }
  const { source, target } = await seq2seqTokenizers(train, options, raw.defaultTokenizers);
  const limits = { source: options.maxSourceLength ?? DEFAULT_MAX_SEQUENCE_LENGTH, target: options.maxTargetLength ?? DEFAULT_MAX_SEQUENCE_LENGTH };
  let droppedExample: string | null = null;
  const noting = (side: 'source' | 'target', tokenizer: Tokenizer) => {
    // A text far longer than the limit is cut before tokenising: its pair is dropped all the same,
    // without first turning (say) a 200 MB line into 200 million ids.
    const budget = inputCharacterBudget(limits[side], longestTokenLength(tokenizer));
    return (text: string) => {
      const cut = text.length > budget;
      let ids = tokenizer.encode(cut ? cutText(text, budget, 'seq2seq') : text);
      if (cut && ids.length <= limits[side]) ids = tokenizer.encode(text); // tokens longer than their text (never for seqloom's own)
      if (ids.length > limits[side] && droppedExample === null) droppedExample = describeLong(side, text, ids.length, limits[side], cut);
      return ids;
    };
  };
  const encode = (pairs: readonly TextPair[]) =>
    encodePairs(pairs, {
      encodeSource: noting('source', source),
      encodeTarget: noting('target', target),
      bosId: target.bosId,
      eosId: target.eosId,
      maxSourceLength: limits.source,
      maxTargetLength: limits.target,
    });
  const trainEncoded = encode(train);
  const validEncoded = encode(valid);
  if (trainEncoded.examples.length === 0) {
    throw new DataError('every training pair was longer than --max-source-length/--max-target-length; raise the limits', {
      file: typeof options.data === 'string' ? options.data : 'training pairs',
    });
  }
  return {
    task: 'seq2seq',
    train: trainEncoded.examples,
    valid: validEncoded.examples,
    sourceTokenizer: source,
    targetTokenizer: target,
    stats: {
      trainExamples: trainEncoded.examples.length,
      validExamples: validEncoded.examples.length,
      skippedLines: raw.skipped,
      droppedTooLong: trainEncoded.dropped + validEncoded.dropped,
      lengthLimits: limits,
      droppedExample,
      skippedExamples: raw.skippedExamples,
    },
  };
}

async function seq2seqTokenizers(
  train: readonly TextPair[],
  options: TrainingDataOptions,
  datasetDefaults?: { source: string; target: string },
): Promise<{ source: Tokenizer; target: Tokenizer }> {
  if (options.tokenizers) return { source: options.tokenizers.source ?? options.tokenizers.target, target: options.tokenizers.target };
  const base = options.tokenizer ?? 'char';
  // A named dataset may suggest its own (CMUdict: one token per phoneme) unless --tokenizer is given.
  const defaults = options.tokenizer === undefined ? datasetDefaults : undefined;
  const sourceSpec = options.sourceTokenizer ?? defaults?.source ?? base;
  const targetSpec = options.targetTokenizer ?? defaults?.target ?? base;
  const lower = { lowercase: options.lowercase ?? false };
  if (sourceSpec === targetSpec) {
    const shared = checkedIds(await tokenizerFromSpec(sourceSpec, () => train.flatMap((p) => [p.source, p.target]), lower), sourceSpec);
    return { source: shared, target: shared };
  }
  const source = checkedIds(await tokenizerFromSpec(sourceSpec, () => train.map((p) => p.source), lower), sourceSpec);
  const target = checkedIds(await tokenizerFromSpec(targetSpec, () => train.map((p) => p.target), lower), targetSpec);
  return { source, target };
}

async function prepareLm(raw: Extract<RawData, { task: 'lm' }>, options: TrainingDataOptions): Promise<TrainingData> {
  let { train, valid } = raw;
  if (valid === null) {
    // Hold out the end of the text: a contiguous split, as char-rnn does.
    const cut = Math.floor(train.length * (1 - (options.validFraction ?? 0.05)));
    [train, valid] = [train.slice(0, cut), train.slice(cut)];
  }
  const spec = options.targetTokenizer ?? options.tokenizer ?? 'char';
  const tokenizer =
    options.tokenizers?.target ?? checkedIds(await tokenizerFromSpec(spec, () => train.split('\n'), { lowercase: options.lowercase ?? false }), spec);
  const windowOptions = { encode: (t: string) => tokenizer.encode(t), windowSize: options.window ?? 128, bosId: tokenizer.bosId, eosId: tokenizer.eosId };
  const file = typeof options.data === 'string' ? options.data : 'the training text';
  const trainExamples = lmWindowsOf(train, windowOptions, file);
  const validExamples = valid.trim() === '' ? [] : lmWindowsOf(valid, windowOptions, options.valid ?? file);
  return {
    task: 'lm',
    train: trainExamples,
    valid: validExamples,
    sourceTokenizer: tokenizer,
    targetTokenizer: tokenizer,
    stats: {
      trainExamples: trainExamples.length, validExamples: validExamples.length, skippedLines: 0,
      droppedTooLong: 0, lengthLimits: null, droppedExample: null, skippedExamples: [],
    },
  };
}

/** A pair dropped for length, for the report: the side, its start and its token count. */
function describeLong(side: 'source' | 'target', text: string, tokens: number, limit: number, cut = false): string {
  const start = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const size = cut ? `more than ${tokens} tokens (${text.length} characters)` : `${tokens} tokens`;
  return `a ${side} of ${size} (limit ${limit}) starting ${JSON.stringify(start)}`;
}

/** Pairs grouped by source, every target of a source kept as a reference (first-seen order). */
export function groupReferences(pairs: readonly TextPair[]): MultiReferenceExample[] {
  const bySource = new Map<string, string[]>();
  for (const { source, target } of pairs) {
    const targets = bySource.get(source);
    if (targets) {
      if (!targets.includes(target)) targets.push(target);
    } else bySource.set(source, [target]);
  }
  return [...bySource].map(([source, targets]) => ({ source, targets }));
}

/** Format implied by a data path or a dataset name of `datasets` (used in messages and defaults). */
export function dataKind(path: string, datasets?: DatasetCatalog): 'builtin' | 'jsonl' | 'tsv' | 'text' {
  if (datasets?.has(path)) return 'builtin';
  const ext = extname(path).toLowerCase();
  return ext === '.txt' || ext === '.text' ? 'text' : pairFormatOf(path);
}
