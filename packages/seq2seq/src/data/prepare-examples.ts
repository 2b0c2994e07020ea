import type { Task } from '../model-contract.js';
import { DATA_DEFAULTS } from './data-defaults.js';
import { DataError } from './data-error.js';
import { exampleList } from './example-list.js';
import { filePairs, type PairSource, type SkipCount } from './pair-source.js';
import { PairStoreBuilder } from './pair-store-builder.js';
import type { PairFormat } from './read-pairs.js';
import { readText } from './read-text.js';
import { lmWindows, type SequenceExample, type TextCodec } from './sequence-example.js';
import { splitSources } from './source-split.js';
import { splitTrainValid } from './split.js';

/** Options of {@link prepareExamples}. Defaults in brackets. */
export interface PrepareExamplesOptions {
  task: Task;
  /** Training file: TSV/JSONL pairs for `seq2seq`, plain text for `lm`. */
  trainFile: string;
  /** Validation file; without it `validFraction` of the training data is held out. */
  validFile?: string;
  /** [`DATA_DEFAULTS.validFraction`, 0.05] Ignored when `validFile` is given; 0 means no validation. */
  validFraction?: number;
  /** Seed of the split [`DATA_DEFAULTS.seed`, 42]. */
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
  /** `lm`: tokens predicted per window [`DATA_DEFAULTS.window`, 128]. */
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

async function prepareLm(options: PrepareExamplesOptions): Promise<PreparedExamples> {
  const windowOptions = { encode: options.encodeTarget, windowSize: options.windowSize ?? DATA_DEFAULTS.window, bosId: options.bosId, eosId: options.eosId };
  const windows = lmWindows(await readText(options.trainFile), windowOptions);
  const split = options.validFile
    ? { train: windows, valid: lmWindows(await readText(options.validFile), windowOptions) }
    : splitTrainValid(windows, { validFraction: options.validFraction ?? DATA_DEFAULTS.validFraction, seed: options.seed ?? DATA_DEFAULTS.seed });
  return { ...split, skipped: 0, skippedExamples: [], dropped: 0 };
}

/** Encodes every pair of `source` into the builder `part(pair)` names, counting pairs over the limits. */
async function encodeInto(source: PairSource, part: (pairSource: string) => PairStoreBuilder, options: PrepareExamplesOptions): Promise<number> {
  const encodeSource = options.encodeSource ?? options.encodeTarget;
  let dropped = 0;
  for await (const pair of source.pairs()) {
    const ids = encodeSource(pair.source);
    const target = options.encodeTarget(pair.target);
    if (ids.length > (options.maxSourceLength ?? Infinity) || target.length > (options.maxTargetLength ?? Infinity)) dropped += 1;
    else part(pair.source).add(ids, target);
  }
  return dropped;
}

/**
 * Reads, splits and encodes training data in one call: pairs (TSV/JSONL) for
 * `seq2seq`, windows of a text for `lm`. A held-out split keeps every target
 * of one source on the same side. Pairs are streamed (the reading, grouped
 * split and typed-array examples of `prepareTrainingData`), with the caller's
 * encoders instead of tokenizers.
 */
export async function prepareExamples(options: PrepareExamplesOptions): Promise<PreparedExamples> {
  if (options.task === 'lm') return prepareLm(options);
  const skips: SkipCount = { skipped: 0, examples: [] };
  const read = { format: options.format, skipBadLines: options.skipBadLines };
  const train = filePairs(options.trainFile, read, skips);
  const fraction = options.validFraction ?? DATA_DEFAULTS.validFraction;
  const split = options.validFile ? null : await splitSources(train, fraction, options.seed ?? DATA_DEFAULTS.seed);
  if (split && fraction > 0 && split.validSources === 0) {
    throw new DataError(
      `validFraction ${fraction} of ${split.sources} item(s) holds out nothing; give more data, a larger validFraction, or a validation file`,
      { file: options.trainFile },
    );
  }
  const builders = { train: new PairStoreBuilder(Infinity, options.bosId, options.eosId), valid: new PairStoreBuilder(Infinity, options.bosId, options.eosId) };
  let dropped = await encodeInto(train, (source) => (split?.isValid(source) ? builders.valid : builders.train), options);
  if (options.validFile) dropped += await encodeInto(filePairs(options.validFile, read, skips), () => builders.valid, options);
  if (builders.train.size === 0) {
    throw new DataError('no training examples remain (all lines were skipped or too long)', { file: options.trainFile });
  }
  return {
    train: exampleList(builders.train.finish()),
    valid: exampleList(builders.valid.finish()),
    skipped: skips.skipped,
    skippedExamples: skips.examples,
    dropped,
  };
}
