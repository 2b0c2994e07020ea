import { type ModelConfig, type Task, validateModelConfig } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { OptionValues } from '../option-spec.js';

/** The model config named by `seqloom train` options and the data's tokenizers. */
export function modelConfigFromOptions(o: OptionValues, task: Task, source: Tokenizer, target: Tokenizer, embeddingSize: number): ModelConfig {
  const partial: Partial<ModelConfig> = {
    task,
    cell: o.cell as ModelConfig['cell'],
    layers: o.layers as number,
    hiddenSize: o.hidden as number,
    embeddingSize,
    bidirectional: o.bidirectional as boolean,
    dropout: o.dropout as number,
    embeddingDropout: o.embeddingDropout as number,
    tieEmbeddings: o.tieEmbeddings as boolean,
    shareEmbeddings: o.shareEmbeddings as boolean,
    targetVocabSize: target.vocabSize,
    padId: target.padId,
    bosId: target.bosId,
    eosId: target.eosId,
  };
  if (o.attention !== undefined) partial.attention = o.attention as ModelConfig['attention'];
  if (o.inputFeeding !== undefined) partial.inputFeeding = o.inputFeeding as boolean;
  if (task === 'seq2seq') {
    partial.sourceVocabSize = source.vocabSize;
    partial.sourcePadId = source.padId;
  }
  return validateModelConfig(partial);
}
