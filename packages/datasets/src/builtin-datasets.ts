import { type CmudictOptions, loadCmudict } from './cmudict.js';
import { DatasetError } from './dataset-error.js';
import { contiguousSplit, loadMobyDick, loadMobyDickSections } from './moby-dick.js';
import { type SplitName, splitOf } from './stable-split.js';

/** A source with every acceptable target (several for words with several pronunciations). */
export interface MultiReferenceExample {
  source: string;
  targets: string[];
}

/** A built-in source → target dataset with its fixed split. */
export interface BuiltinPairDataset {
  name: string;
  task: 'seq2seq';
  splits: Record<SplitName, MultiReferenceExample[]>;
  /** Tokenizers that suit the data when none is asked for (CMUdict: letters in, one token per phoneme out). */
  defaultTokenizers?: { source: string; target: string };
}

/** A built-in plain-text dataset (for `lm`) with its fixed split. */
export interface BuiltinTextDataset {
  name: string;
  task: 'lm';
  splits: Record<SplitName, string>;
}

/** A built-in dataset: source → target pairs (`seq2seq`) or plain text (`lm`). */
export type BuiltinDataset = BuiltinPairDataset | BuiltinTextDataset;

/** Names accepted wherever a data file is expected, with what they hold. */
export const BUILTIN_DATASETS: readonly { name: string; task: 'seq2seq' | 'lm'; description: string }[] = [
  {
    name: 'cmudict',
    task: 'seq2seq',
    description: 'CMUdict word → phonemes (no stress), fixed 90/5/5 split by word, all pronunciations as references',
  },
  {
    name: 'cmudict:g2p-seq2seq',
    task: 'seq2seq',
    description: 'CMUdict word → phonemes (no stress), the g2p-seq2seq split by dictionary order (every 20th word valid, the next two test)',
  },
  {
    name: 'moby-dick',
    task: 'lm',
    description: 'Moby-Dick full text (1.2 M characters), fixed 90/5/5 split by chapter',
  },
  {
    name: 'moby-dick:90-10',
    task: 'lm',
    description: 'Moby-Dick full text, contiguous split as char-rnn does: the first 90 % of the characters train, the last 10 % validate (test = valid)',
  },
];

/** Whether `name` is a built-in pronunciation dictionary (word → space-separated phonemes), scored as G2P. */
export function isPronunciationDataset(name: string): boolean {
  return name === 'cmudict' || name === 'cmudict:g2p-seq2seq';
}

/** Whether `name` is a built-in dataset name (not a path). */
export function isBuiltinDataset(name: string): boolean {
  return BUILTIN_DATASETS.some((d) => d.name === name);
}

/**
 * Loads a built-in dataset with its fixed train/valid/test split.
 * `cmudict` options are passed through to {@link loadCmudict}; `cmudict:g2p-seq2seq`
 * is `cmudict` with `split: 'g2p-seq2seq'`.
 */
export function loadBuiltinDataset(name: string, options: CmudictOptions = {}): BuiltinDataset {
  if (name === 'cmudict' || name === 'cmudict:g2p-seq2seq') {
    const splits = loadCmudict(name === 'cmudict' ? options : { ...options, split: 'g2p-seq2seq' });
    const convert = (entries: typeof splits.train) => entries.map((e) => ({ source: e.word, targets: e.pronunciations }));
    return {
      name,
      task: 'seq2seq',
      splits: { train: convert(splits.train), valid: convert(splits.valid), test: convert(splits.test) },
      defaultTokenizers: { source: 'char', target: 'word' },
    };
  }
  if (name === 'moby-dick') {
    const parts: Record<SplitName, string[]> = { train: [], valid: [], test: [] };
    for (const section of loadMobyDickSections()) {
      parts[splitOf(section.chapter, 1851, { valid: 0.05, test: 0.05 })].push(section.text);
    }
    return {
      name,
      task: 'lm',
      splits: { train: parts.train.join('\n\n'), valid: parts.valid.join('\n\n'), test: parts.test.join('\n\n') },
    };
  }
  if (name === 'moby-dick:90-10') {
    const { train, valid } = contiguousSplit(loadMobyDick(), 0.9);
    return { name, task: 'lm', splits: { train, valid, test: valid } };
  }
  const known = BUILTIN_DATASETS.map((d) => d.name).join(', ');
  throw new DatasetError(`unknown built-in dataset "${name}"; built-in names are: ${known} (or give a file path)`);
}

/**
 * The built-in datasets as a catalog of names: pass it as `datasets` to
 * `prepareTrainingData` / `readEvaluationData` of `@seqloom/seq2seq` so that
 * `cmudict` and `moby-dick` are accepted where a data path is expected.
 */
export const builtinDatasets: { has(name: string): boolean; load(name: string): BuiltinDataset } = {
  has: isBuiltinDataset,
  load: (name) => loadBuiltinDataset(name),
};
