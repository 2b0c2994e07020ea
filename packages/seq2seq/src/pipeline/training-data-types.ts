import type { Tokenizer } from '@seqloom/tokenizer';
import type { PairFormat, TextPair } from '../data/read-pairs.js';
import type { SequenceExample } from '../data/sequence-example.js';
import type { Task } from '../model-contract.js';
import type { DatasetCatalog } from './dataset-catalog.js';
import type { DEFAULT_MAX_SEQUENCE_LENGTH } from './input-limit.js';

/** Where training data comes from and how it becomes ids (the options of `seqloom train`). */
export interface TrainingDataOptions {
  /**
   * A TSV/JSONL pairs file, a text file (lm), a folder written by
   * `preprocessTrainingData` (`seqloom preprocess`: read from disk with bounded memory),
   * a dataset name of `datasets` (`cmudict`, `moby-dick` with `@seqloom/datasets`),
   * or pairs in memory (with optional validation pairs).
   */
  data: string | { train: readonly TextPair[]; valid?: readonly TextPair[] };
  /** Named datasets that `data` and `valid` may give instead of a path (e.g. `builtinDatasets` of `@seqloom/datasets`). */
  datasets?: DatasetCatalog;
  /** Validation data in the same form; default: a seeded split of `data` (or the built-in valid split). */
  valid?: string;
  /**
   * Share held out for validation when `valid` is not given (built-ins use their
   * fixed split). Default `DATA_DEFAULTS.validFraction` (0.05). When that rounds to no example at all, there is
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
  /** Tokens per lm training window. Default `DATA_DEFAULTS.window` (128). */
  window?: number;
  skipBadLines?: boolean;
  /** Seed of the validation split. Default `DATA_DEFAULTS.seed` (42). */
  seed?: number;
  /** Directory relative paths are resolved against. Default the process working directory. */
  cwd?: string;
}

/**
 * Training data as ids, with the tokenizers that produced them. `train` and
 * `valid` are read-only lists over token ids in typed arrays (or a binarised
 * folder on disk): each example is made when it is read.
 */
export interface TrainingData {
  task: Task;
  train: SequenceExample[];
  valid: SequenceExample[];
  /** Source tokenizer (the target one for lm, or when both sides share one). */
  sourceTokenizer: Tokenizer;
  targetTokenizer: Tokenizer;
  stats: TrainingDataStats;
}

/** What `prepareTrainingData` read, kept and dropped. */
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
