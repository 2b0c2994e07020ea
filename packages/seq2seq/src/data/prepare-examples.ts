import type { Task } from '../model-contract.js';
import { DataError } from './data-error.js';
import { readPairs, type PairFormat, type TextPair } from './read-pairs.js';
import { readText } from './read-text.js';
import { encodePairs, lmWindows, type SequenceExample, type TextCodec } from './sequence-example.js';
import { splitTrainValid } from './split.js';

/** Options of {@link prepareExamples}. Defaults in brackets. */
export interface PrepareExamplesOptions {
  task: Task;
  /** Training file: TSV/JSONL pairs for `seq2seq`, plain text for `lm`. */
  trainFile: string;
  /** Validation file; without it `validFraction` of the training data is held out. */
  validFile?: string;
  /** [0.05] Ignored when `validFile` is given; 0 means no validation. */
  validFraction?: number;
  /** Seed of the split [42]. */
  seed?: number;
  /** Pair file format [from the extension]. */
  format?: PairFormat;
  /** Skip malformed pair lines instead of failing [false]. */
  skipBadLines?: boolean;
  /** Encodes target text (for `lm`, the text). */
  encodeTarget: TextCodec;
  /** Encodes source text (`seq2seq`) [encodeTarget]. */
  encodeSource?: TextCodec;
  bosId: number;
  eosId: number;
  /** `lm`: tokens predicted per window [128]. */
  windowSize?: number;
  /** `seq2seq`: drop longer pairs (counted in `dropped`). */
  maxSourceLength?: number;
  maxTargetLength?: number;
}

/** Training and validation examples ready for `train()`, with what was left out. */
export interface PreparedExamples {
  train: SequenceExample[];
  valid: SequenceExample[];
  /** Malformed lines skipped (with `skipBadLines`). */
  skipped: number;
  skippedExamples: string[];
  /** Pairs dropped for exceeding the length limits. */
  dropped: number;
}

async function readPairFile(file: string, options: PrepareExamplesOptions) {
  return readPairs(file, { format: options.format, skipBadLines: options.skipBadLines });
}

function encodeAll(pairs: TextPair[], options: PrepareExamplesOptions) {
  return encodePairs(pairs, {
    encodeSource: options.encodeSource ?? options.encodeTarget,
    encodeTarget: options.encodeTarget,
    bosId: options.bosId,
    eosId: options.eosId,
    maxSourceLength: options.maxSourceLength,
    maxTargetLength: options.maxTargetLength,
  });
}

async function prepareLm(options: PrepareExamplesOptions): Promise<PreparedExamples> {
  const windowOptions = { encode: options.encodeTarget, windowSize: options.windowSize ?? 128, bosId: options.bosId, eosId: options.eosId };
  const windows = lmWindows(await readText(options.trainFile), windowOptions);
  const split = options.validFile
    ? { train: windows, valid: lmWindows(await readText(options.validFile), windowOptions) }
    : splitTrainValid(windows, { validFraction: options.validFraction ?? 0.05, seed: options.seed ?? 42 });
  return { ...split, skipped: 0, skippedExamples: [], dropped: 0 };
}

/**
 * Reads, splits and encodes training data in one call: pairs (TSV/JSONL) for
 * `seq2seq`, windows of a text for `lm`. A held-out split keeps every target
 * of one source on the same side.
 */
export async function prepareExamples(options: PrepareExamplesOptions): Promise<PreparedExamples> {
  if (options.task === 'lm') return prepareLm(options);
  const read = await readPairFile(options.trainFile, options);
  let skipped = read.skipped;
  const skippedExamples = [...read.skippedExamples];
  let trainPairs = read.pairs;
  let validPairs: TextPair[] = [];
  if (options.validFile) {
    const valid = await readPairFile(options.validFile, options);
    validPairs = valid.pairs;
    skipped += valid.skipped;
    skippedExamples.push(...valid.skippedExamples);
  } else {
    const split = splitTrainValid(trainPairs, { validFraction: options.validFraction ?? 0.05, seed: options.seed ?? 42, groupBy: (p) => p.source });
    trainPairs = split.train;
    validPairs = split.valid;
  }
  const train = encodeAll(trainPairs, options);
  const valid = encodeAll(validPairs, options);
  if (train.examples.length === 0) {
    throw new DataError('no training examples remain (all lines were skipped or too long)', { file: options.trainFile });
  }
  return { train: train.examples, valid: valid.examples, skipped, skippedExamples, dropped: train.dropped + valid.dropped };
}
