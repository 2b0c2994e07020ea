import type { CheckpointTokenizers } from '../checkpoint/save-checkpoint.js';
import type { ModelConfig } from '../model-contract.js';
import { TrainingError } from '../training-error.js';

/** The special ids and size a `@seqloom/tokenizer` Tokenizer exposes. */
interface TokenizerIds {
  vocabSize: number;
  padId: number;
  bosId: number;
  eosId: number;
}

function idsOf(value: unknown): TokenizerIds | null {
  if (typeof value !== 'object' || value === null) return null;
  const t = value as Record<string, unknown>;
  const numeric = ['vocabSize', 'padId', 'bosId', 'eosId'].every((key) => typeof t[key] === 'number');
  return numeric ? (t as unknown as TokenizerIds) : null;
}

function mismatch(which: string, key: string, tokenizerValue: number, configKey: string, configValue: number): TrainingError {
  return new TrainingError(
    `the ${which} tokenizer has ${key} ${tokenizerValue} but the model config has ${configKey} ${configValue}; ` +
      `build the model config from this tokenizer (${configKey}: ${tokenizerValue}) or save the tokenizer the model was built for`,
  );
}

/**
 * Checks the tokenizers saved with checkpoints against the model config, when
 * they are Tokenizer-like objects (numeric vocabSize/padId/bosId/eosId):
 * target vocabulary size and pad/bos/eos ids, and for seq2seq the source
 * vocabulary size and pad id. Plain JSON tokenizers are not checked.
 */
export function checkTokenizers(tokenizers: CheckpointTokenizers | undefined, config: ModelConfig): void {
  const target = idsOf(tokenizers?.target);
  if (target) {
    const pairs = [
      ['vocabSize', 'targetVocabSize'],
      ['padId', 'padId'],
      ['bosId', 'bosId'],
      ['eosId', 'eosId'],
    ] as const;
    for (const [key, configKey] of pairs) {
      if (target[key] !== config[configKey]) throw mismatch('target', key, target[key], configKey, config[configKey]);
    }
  }
  const source = config.task === 'seq2seq' ? idsOf(tokenizers?.source ?? tokenizers?.target) : null;
  if (source) {
    if (source.vocabSize !== config.sourceVocabSize) throw mismatch('source', 'vocabSize', source.vocabSize, 'sourceVocabSize', config.sourceVocabSize);
    if (source.padId !== config.sourcePadId) throw mismatch('source', 'padId', source.padId, 'sourcePadId', config.sourcePadId);
  }
}
