import { CELL_TYPES } from '../cells/cell-types.js';
import type { ModelConfig } from '../model-contract.js';
import { CheckpointError } from './checkpoint-error.js';
import { checkContainedName } from './contained-name.js';

/**
 * The checkpoint format this version writes. Version 2: state.json's `rng` is
 * the state of the shared xoshiro128** generator (version 1 saved sfc32's; see
 * `migrate-training-state.ts`). Weights and config.json are the same in both.
 */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** The oldest format version still loaded (for inference; for resuming, see `migrateTrainingState`). */
export const OLDEST_CHECKPOINT_FORMAT_VERSION = 1;

/** config.json of a checkpoint folder. */
export interface CheckpointConfig {
  format: 'seqloom-checkpoint';
  formatVersion: number;
  model: ModelConfig;
  /** The resolved training options the run used. */
  training: Record<string, unknown>;
  /** Weights that were frozen (not trained); absent in older checkpoints (= none). */
  frozen?: string[];
  /** Optional files present in the folder. */
  files: {
    tokenizer: string | null;
    sourceTokenizer: string | null;
    optimizer: string | null;
    state: string | null;
    /** tokenizer_config.json (special-token roles); absent in older checkpoints. */
    tokenizerConfig?: string | null;
    sourceTokenizerConfig?: string | null;
    /** The language-model state carried between stream windows (truncated BPTT), for resuming; absent when none. */
    carriedState?: string | null;
  };
  /**
   * The longest source and target (tokens, without bos/eos) among the training
   * examples; absent in older checkpoints. Generation limits its inputs by it.
   */
  lengths?: SequenceLengths;
  /** Set by `averageCheckpoints`: the checkpoints whose weights this one is the mean of. */
  averagedFrom?: { dir: string; step: number | null }[];
}

/** Longest sequences a model was trained on, in tokens. */
export interface SequenceLengths {
  source: number;
  target: number;
}

/** The `files` fields of config.json: each names a file inside the checkpoint folder, or is null. */
const FILE_FIELDS = ['tokenizer', 'sourceTokenizer', 'optimizer', 'state', 'tokenizerConfig', 'sourceTokenizerConfig', 'carriedState'] as const;

const MODEL_FIELDS: Record<keyof ModelConfig, 'number' | 'boolean' | readonly string[]> = {
  task: ['seq2seq', 'lm'],
  cell: CELL_TYPES,
  layers: 'number',
  hiddenSize: 'number',
  embeddingSize: 'number',
  bidirectional: 'boolean',
  attention: ['none', 'dot', 'general', 'bahdanau'],
  inputFeeding: 'boolean',
  dropout: 'number',
  embeddingDropout: 'number',
  tieEmbeddings: 'boolean',
  shareEmbeddings: 'boolean',
  sourceVocabSize: 'number',
  targetVocabSize: 'number',
  padId: 'number',
  bosId: 'number',
  eosId: 'number',
  sourcePadId: 'number',
};

function checkModelConfig(file: string, value: unknown): ModelConfig {
  if (typeof value !== 'object' || value === null) {
    throw new CheckpointError(file, '"model" must be an object with the model configuration');
  }
  const model = value as Record<string, unknown>;
  for (const [key, kind] of Object.entries(MODEL_FIELDS)) {
    const field = model[key];
    const ok = Array.isArray(kind) ? kind.includes(field as string) : typeof field === kind;
    if (!ok) {
      const expected = Array.isArray(kind) ? kind.map((k) => `"${k}"`).join(' | ') : `a ${kind}`;
      throw new CheckpointError(file, `model.${key} is ${JSON.stringify(field)}; expected ${expected}`);
    }
  }
  return value as ModelConfig;
}

/** Validates a parsed config.json (format, version, model configuration). */
export function checkCheckpointConfig(file: string, value: unknown): CheckpointConfig {
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== 'seqloom-checkpoint') {
    throw new CheckpointError(file, 'not a seqloom checkpoint config (expected "format": "seqloom-checkpoint")');
  }
  const config = value as CheckpointConfig;
  const version = config.formatVersion;
  if (!Number.isInteger(version) || version < OLDEST_CHECKPOINT_FORMAT_VERSION || version > CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(
      file,
      `checkpoint format version ${JSON.stringify(version)}; this seqloom reads version ` +
        `${CHECKPOINT_FORMAT_VERSION} (and older ones down to ${OLDEST_CHECKPOINT_FORMAT_VERSION}) ` +
        '(use the seqloom version that wrote it, or retrain)',
    );
  }
  checkModelConfig(file, config.model);
  if (typeof config.files !== 'object' || config.files === null) {
    throw new CheckpointError(file, '"files" is missing; expected {"tokenizer", "sourceTokenizer", "optimizer", "state"}');
  }
  for (const field of FILE_FIELDS) {
    const name = (config.files as Record<string, unknown>)[field];
    if (name !== null && name !== undefined) checkContainedName(name, `files.${field}`, file);
  }
  checkLengths(file, config.lengths);
  if (config.frozen !== undefined && !(Array.isArray(config.frozen) && config.frozen.every((n) => typeof n === 'string'))) {
    throw new CheckpointError(file, '"frozen" must be a list of weight names');
  }
  return config;
}

function checkLengths(file: string, lengths: unknown): void {
  if (lengths === undefined) return;
  const value = lengths as Partial<SequenceLengths> | null;
  const ok = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (typeof value !== 'object' || value === null || !ok(value.source) || !ok(value.target)) {
    throw new CheckpointError(file, `"lengths" is ${JSON.stringify(lengths)}; expected {"source": <tokens>, "target": <tokens>} (or leave it out)`);
  }
}
