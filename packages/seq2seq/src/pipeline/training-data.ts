import { extname, resolve } from 'node:path';
import { tokenizerFromSpec } from '@seqloom/tokenizer';
import { DATA_DEFAULTS } from '../data/data-defaults.js';
import { DataError } from '../data/data-error.js';
import { exampleList } from '../data/example-list.js';
import { filePairs, hasPairs, listPairs, type SkipCount } from '../data/pair-source.js';
import { PairStoreBuilder } from '../data/pair-store-builder.js';
import { pairFormatOf, type TextPair } from '../data/read-pairs.js';
import { readText } from '../data/read-text.js';
import type { Task } from '../model-contract.js';
import { isBinarisedFolder, openBinarisedData } from './binarised-data.js';
import type { DatasetCatalog, MultiReferenceExample } from './dataset-catalog.js';
import { encodePairCorpus, type PairCorpus, pairTokenizers, trainingSide } from './pair-corpus.js';
import { checkedIds, lmWindowsOf } from './training-data-checks.js';
import type { TrainingData, TrainingDataOptions } from './training-data-types.js';

export type { TrainingData, TrainingDataOptions, TrainingDataStats } from './training-data-types.js';

/** Training data as read, before tokenizing. */
export type RawData = ({ task: 'seq2seq' } & PairCorpus) | { task: 'lm'; train: string; valid: string | null; skipped: number; skippedExamples: string[] };

/**
 * Reads training (and validation) data, trains or reuses tokenizers on the
 * training side only, and encodes everything into shifted id examples with
 * the stop token appended — everything `train()` needs besides the model.
 */
export async function prepareTrainingData(options: TrainingDataOptions): Promise<TrainingData> {
  if (typeof options.data === 'string' && (await isBinarisedFolder(resolve(options.cwd ?? process.cwd(), options.data)))) {
    return openBinarisedData(resolve(options.cwd ?? process.cwd(), options.data), options);
  }
  const raw = await readTrainingCorpus(options);
  if (raw.task === 'lm') return prepareLm(raw, options);
  return prepareSeq2seq(raw, options);
}

/** The pairs of a named dataset's split, one per target. */
function splitPairs(examples: readonly MultiReferenceExample[]): TextPair[] {
  return examples.flatMap((e) => e.targets.map((target) => ({ source: e.source, target })));
}

/** Reads the data `options` name as pairs to stream (seq2seq) or text (lm); shared with `preprocessTrainingData`. */
export async function readTrainingCorpus(options: TrainingDataOptions): Promise<RawData> {
  const cwd = options.cwd ?? process.cwd();
  const data = options.data;
  const skips: SkipCount = { skipped: 0, examples: [] };
  if (typeof data !== 'string') {
    if (data.train.length === 0) throw new DataError('no training pairs given');
    return { task: 'seq2seq', train: listPairs(data.train, 'training pairs'), valid: data.valid ? listPairs(data.valid, 'validation pairs') : null, skips };
  }
  if (options.datasets?.has(data)) {
    const ds = options.datasets.load(data);
    if (options.task && options.task !== ds.task) {
      throw new DataError(`built-in dataset "${data}" is for task ${ds.task}; drop --task ${options.task} or choose another dataset`);
    }
    if (ds.task === 'lm') {
      const valid = options.valid ? ((await readLmSide(options.valid, options, cwd)) as string) : null;
      return { task: 'lm', train: ds.splits.train, valid: valid ?? ds.splits.valid, skipped: 0, skippedExamples: [] };
    }
    return {
      task: 'seq2seq',
      train: listPairs(splitPairs(ds.splits.train), data),
      valid: options.valid ? pairSide(options.valid, options, cwd, skips) : listPairs(splitPairs(ds.splits.valid), `${data} (valid)`),
      skips,
      ...(ds.defaultTokenizers ? { defaultTokenizers: ds.defaultTokenizers } : {}),
    };
  }
  const task: Task = options.task ?? (options.format === 'text' || dataKind(data, options.datasets) === 'text' ? 'lm' : 'seq2seq');
  if (task === 'lm') {
    const train = await readText(resolve(cwd, data));
    const valid = options.valid ? await readLmSide(options.valid, options, cwd) : null;
    return { task, train, valid, skipped: 0, skippedExamples: [] };
  }
  const train = pairSide(data, options, cwd, skips);
  if (!(await hasPairs(train))) throw new DataError('no source/target pairs found; expected `source<TAB>target` lines', { file: data });
  return { task, train, valid: options.valid ? pairSide(options.valid, options, cwd, skips) : null, skips };
}

/** A pair file (or a named dataset's validation split) read as a stream of pairs. */
function pairSide(name: string, options: TrainingDataOptions, cwd: string, skips: SkipCount) {
  if (options.datasets?.has(name)) {
    const ds = options.datasets.load(name);
    if (ds.task !== 'seq2seq') throw new DataError(`--valid ${name} is a ${ds.task} dataset but the task is seq2seq`);
    return listPairs(splitPairs(ds.splits.valid), name);
  }
  const format = options.format === 'text' ? undefined : options.format;
  return filePairs(resolve(cwd, name), { ...(format ? { format } : {}), skipBadLines: options.skipBadLines ?? false }, skips);
}

async function readLmSide(name: string, options: TrainingDataOptions, cwd: string): Promise<string> {
  if (options.datasets?.has(name)) {
    const ds = options.datasets.load(name);
    if (ds.task !== 'lm') throw new DataError(`--valid ${name} is a ${ds.task} dataset but the task is lm`);
    return ds.splits.valid;
  }
  return readText(resolve(cwd, name));
}

/**
 * Pairs streamed three times at most (the split, the tokenizers, the
 * encoding), never held: examples go straight into typed arrays.
 */
async function prepareSeq2seq(raw: Extract<RawData, { task: 'seq2seq' }>, options: TrainingDataOptions): Promise<TrainingData> {
  const { train: trainSide, split } = await trainingSide(raw, options);
  const tokenizers = await pairTokenizers(trainSide, options, raw.defaultTokenizers);
  const vocabSize = Math.max(tokenizers.source.vocabSize, tokenizers.target.vocabSize);
  const { bosId, eosId } = tokenizers.target;
  const sinks = { train: new PairStoreBuilder(vocabSize, bosId, eosId), valid: new PairStoreBuilder(vocabSize, bosId, eosId) };
  const counts = await encodePairCorpus(raw, split, tokenizers, options, sinks);
  return {
    task: 'seq2seq',
    train: exampleList(sinks.train.finish()),
    valid: exampleList(sinks.valid.finish()),
    sourceTokenizer: tokenizers.source,
    targetTokenizer: tokenizers.target,
    stats: {
      trainExamples: counts.train,
      validExamples: counts.valid,
      skippedLines: raw.skips.skipped,
      droppedTooLong: counts.droppedTooLong,
      lengthLimits: counts.lengthLimits,
      droppedExample: counts.droppedExample,
      skippedExamples: raw.skips.examples,
    },
  };
}

async function prepareLm(raw: Extract<RawData, { task: 'lm' }>, options: TrainingDataOptions): Promise<TrainingData> {
  let { train, valid } = raw;
  if (valid === null) {
    // Hold out the end of the text: a contiguous split, as char-rnn does.
    const cut = Math.floor(train.length * (1 - (options.validFraction ?? DATA_DEFAULTS.validFraction)));
    [train, valid] = [train.slice(0, cut), train.slice(cut)];
  }
  const spec = options.targetTokenizer ?? options.tokenizer ?? 'char';
  const tokenizer =
    options.tokenizers?.target ?? checkedIds(await tokenizerFromSpec(spec, () => train.split('\n'), { lowercase: options.lowercase ?? false }), spec);
  const windowOptions = {
    encode: (t: string) => tokenizer.encode(t),
    windowSize: options.window ?? DATA_DEFAULTS.window,
    bosId: tokenizer.bosId,
    eosId: tokenizer.eosId,
  };
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
      trainExamples: trainExamples.length,
      validExamples: validExamples.length,
      skippedLines: 0,
      droppedTooLong: 0,
      lengthLimits: null,
      droppedExample: null,
      skippedExamples: [],
    },
  };
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
