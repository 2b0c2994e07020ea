import { SeqloomError } from '@seqloom/core';
import { CELL_TYPES, DEFAULT_CELL } from '../cells/cell-types.js';
import type { AttentionType, ModelConfig, Task } from '../model-contract.js';

/** A model option is missing or out of range; the message names it and the valid range. */
export class ModelConfigError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'ModelConfigError';
  }
}

const TASKS: readonly Task[] = ['seq2seq', 'lm'];
const ATTENTIONS: readonly AttentionType[] = ['none', 'dot', 'general', 'bahdanau'];

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ModelConfigError(`Invalid model option "${option}": got ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

function integer(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ModelConfigError(`Invalid model option "${option}": got ${JSON.stringify(value)}, expected an integer from ${min} to ${max}.`);
  }
  return value;
}

function rate(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new ModelConfigError(`Invalid model option "${option}": got ${JSON.stringify(value)}, expected a number in [0, 1).`);
  }
  return value;
}

function flag(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new ModelConfigError(`Invalid model option "${option}": got ${JSON.stringify(value)}, expected true or false.`);
  }
  return value;
}

const MAX_SIZE = 1 << 16;
const MAX_VOCAB = 1 << 22;

/**
 * Fills defaults into a partial model config and validates every option.
 *
 * Required: `targetVocabSize`, and `sourceVocabSize` for `seq2seq`. Defaults:
 * task `seq2seq`, cell `lstm` (`cell` is one of CELL_TYPES, the cell
 * registry's names), 1 layer, hidden 256, embedding 128, attention
 * `general` for seq2seq and `none` for lm, input feeding on when there is
 * attention, dropout 0, no tying or sharing, padId 0, bosId 1, eosId 2,
 * sourcePadId = padId. Throws {@link ModelConfigError} naming the bad option.
 */
export function validateModelConfig(partial: Partial<ModelConfig>): ModelConfig {
  const task = oneOf('task', partial.task ?? 'seq2seq', TASKS);
  const isLm = task === 'lm';
  const attention = oneOf('attention', partial.attention ?? (isLm ? 'none' : 'general'), ATTENTIONS);
  if (partial.targetVocabSize === undefined) {
    throw new ModelConfigError('Missing model option "targetVocabSize": set it to the target tokenizer\'s vocabulary size.');
  }
  if (!isLm && partial.sourceVocabSize === undefined) {
    throw new ModelConfigError('Missing model option "sourceVocabSize": set it to the source tokenizer\'s vocabulary size (task seq2seq).');
  }
  const targetVocabSize = integer('targetVocabSize', partial.targetVocabSize, 2, MAX_VOCAB);
  const sourceVocabSize = isLm
    ? integer('sourceVocabSize', partial.sourceVocabSize ?? 0, 0, MAX_VOCAB)
    : integer('sourceVocabSize', partial.sourceVocabSize, 2, MAX_VOCAB);
  const padId = integer('padId', partial.padId ?? 0, 0, targetVocabSize - 1);
  const config: ModelConfig = {
    task,
    cell: oneOf('cell', partial.cell ?? DEFAULT_CELL, CELL_TYPES),
    layers: integer('layers', partial.layers ?? 1, 1, 16),
    hiddenSize: integer('hiddenSize', partial.hiddenSize ?? 256, 1, MAX_SIZE),
    embeddingSize: integer('embeddingSize', partial.embeddingSize ?? 128, 1, MAX_SIZE),
    bidirectional: flag('bidirectional', partial.bidirectional ?? false),
    attention,
    inputFeeding: flag('inputFeeding', partial.inputFeeding ?? attention !== 'none'),
    dropout: rate('dropout', partial.dropout ?? 0),
    embeddingDropout: rate('embeddingDropout', partial.embeddingDropout ?? 0),
    tieEmbeddings: flag('tieEmbeddings', partial.tieEmbeddings ?? false),
    shareEmbeddings: flag('shareEmbeddings', partial.shareEmbeddings ?? false),
    sourceVocabSize,
    targetVocabSize,
    padId,
    bosId: integer('bosId', partial.bosId ?? 1, 0, targetVocabSize - 1),
    eosId: integer('eosId', partial.eosId ?? 2, 0, targetVocabSize - 1),
    sourcePadId: isLm
      ? integer('sourcePadId', partial.sourcePadId ?? padId, 0, MAX_VOCAB)
      : integer('sourcePadId', partial.sourcePadId ?? padId, 0, sourceVocabSize - 1),
  };
  checkCombinations(config);
  return config;
}

function checkCombinations(config: ModelConfig): void {
  if (config.task === 'lm') {
    if (config.attention !== 'none') {
      throw new ModelConfigError(`Invalid model option "attention": task "lm" has no source to attend to; use "none" (got "${config.attention}").`);
    }
    if (config.bidirectional) {
      throw new ModelConfigError('Invalid model option "bidirectional": task "lm" has no encoder; set it to false.');
    }
    if (config.shareEmbeddings) {
      throw new ModelConfigError('Invalid model option "shareEmbeddings": task "lm" has a single embedding already; set it to false.');
    }
  }
  if (config.inputFeeding && config.attention === 'none') {
    throw new ModelConfigError('Invalid model option "inputFeeding": it feeds the attentional vector, so it needs attention other than "none".');
  }
  if (config.shareEmbeddings && config.sourceVocabSize !== config.targetVocabSize) {
    throw new ModelConfigError(
      `Invalid model option "shareEmbeddings": source and target vocabularies differ (${config.sourceVocabSize} vs ${config.targetVocabSize}); use one tokenizer for both or set it to false.`,
    );
  }
  if (config.bosId === config.padId || config.eosId === config.padId) {
    throw new ModelConfigError(
      `Invalid model options "bosId"/"eosId": they must differ from "padId" (${config.padId}); got bos ${config.bosId}, eos ${config.eosId}.`,
    );
  }
}
