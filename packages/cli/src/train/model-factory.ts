import { type CreateModelOptions, type ModelConfig, Seq2SeqModel, type TrainingData } from '@seqloom/seq2seq';
import type { Tokenizer } from '@seqloom/tokenizer';
import type { CommandContext } from '../cli-command.js';
import type { OptionValues } from '../option-spec.js';
import { resolvePath } from '../text-inputs.js';
import { flagValue } from './flag-values.js';
import { modelConfigFromOptions } from './model-config-from-options.js';
import { embeddingSizeFor, loadPretrainedEmbedding } from './pretrained-embeddings.js';

/** The model the model flags and the data make, and how to create it (with pretrained embeddings, when given). */
export interface ModelFactory {
  modelConfig: ModelConfig;
  createModel(config: ModelConfig): Seq2SeqModel;
}

/** The model the options make with the smallest vocabulary and no encoder: a lower bound of its size, known before the data is read. */
export function smallestModelConfig(o: OptionValues): ModelConfig {
  const tiny = { vocabSize: 8, padId: 0, bosId: 1, eosId: 2 } as Tokenizer;
  return modelConfigFromOptions({ ...o, attention: undefined, inputFeeding: undefined }, 'lm', tiny, tiny, flagValue.number(o, 'embedding') ?? 0);
}

/** The model of `seqloom train`: its config from the flags and the data's tokenizers, and its initialisation. */
export async function buildModelFactory(ctx: CommandContext, o: OptionValues, data: TrainingData): Promise<ModelFactory> {
  const seed = flagValue.number(o, 'seed');
  const embeddingInit = flagValue.number(o, 'embeddingInit');
  const forgetBias = flagValue.number(o, 'forgetBias');
  const createOptions: CreateModelOptions = {
    ...(seed !== undefined ? { seed } : {}),
    ...(embeddingInit !== undefined ? { embeddingInit } : {}),
    ...(forgetBias !== undefined ? { forgetBias } : {}),
  };
  const dims: number[] = [];
  const common = { trainable: !(flagValue.switch(o, 'freezeEmbeddings') ?? false), seed: seed ?? 0, out: ctx.out };
  const sourceFile = flagValue.text(o, 'sourceEmbeddings');
  if (sourceFile && data.task === 'seq2seq') {
    const loaded = await loadPretrainedEmbedding(resolvePath(ctx.io, sourceFile), data.sourceTokenizer, { ...common, side: 'source' });
    createOptions.sourceEmbedding = loaded.embedding;
    dims.push(loaded.dim);
  }
  const targetFile = flagValue.text(o, 'targetEmbeddings');
  if (targetFile) {
    const loaded = await loadPretrainedEmbedding(resolvePath(ctx.io, targetFile), data.targetTokenizer, { ...common, side: 'target' });
    createOptions.targetEmbedding = loaded.embedding;
    dims.push(loaded.dim);
  }
  const embedding = flagValue.number(o, 'embedding') ?? 0;
  const embeddingSize = embeddingSizeFor(dims, ctx.given.has('embedding') ? embedding : undefined, embedding);
  const modelConfig = modelConfigFromOptions(o, data.task, data.sourceTokenizer, data.targetTokenizer, embeddingSize);
  return { modelConfig, createModel: (config: ModelConfig) => Seq2SeqModel.create(config, createOptions) };
}
