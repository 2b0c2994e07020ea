import type { StepModel } from '@seqloom/decode';
import { type Tokenizer, tokenizerFromJson } from '@seqloom/tokenizer';
import { seq2seqWeightShapes } from '../checkpoint/check-shapes.js';
import type { CheckpointConfig } from '../checkpoint/checkpoint-config.js';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import type { CheckpointReader } from '../checkpoint/checkpoint-reader.js';
import { type LoadedCheckpoint, readCheckpointFrom } from '../checkpoint/read-checkpoint.js';
import type { TrainingState } from '../checkpoint/training-state.js';
import { Seq2SeqModel } from '../seq2seq-model.js';
import { inputTokenLimit } from './input-limit.js';

/** A trained model loaded from a checkpoint (a folder, a URL, picked files), ready to generate. */
export interface TrainedModel {
  /** The checkpoint read: a folder (`best/` or `last/` of a training output folder), or a URL. */
  dir: string;
  config: CheckpointConfig;
  model: Seq2SeqModel;
  /** The model as a decoder sees it (an ensemble's is an `EnsembleStepModel`). */
  stepModel: StepModel<unknown>;
  /** Source tokenizer; the target one when both sides share it (and for lm). */
  sourceTokenizer: Tokenizer;
  targetTokenizer: Tokenizer;
  /** Default decoding options saved with the model (generation.json). */
  generation: Record<string, unknown>;
  /** Training position and history, when the checkpoint came from training (and its state.json is intact). */
  state: TrainingState | undefined;
  /** Longest input (tokens) given to the model; longer ones are cut with a warning (see {@link inputTokenLimit}). */
  inputLimit: number;
  /** Receives warnings: a damaged state.json at load, inputs cut to {@link inputLimit}. */
  onWarning?: (message: string) => void;
  /**
   * Set on an ensemble (see `ensembleTrainedModels`): its member models. `model`
   * is then the first member, and `stepModel` decodes with all of them.
   */
  members?: readonly TrainedModel[];
  /** Frees the model's tensors. */
  dispose(): void;
}

/** Options of {@link openTrainedModel}. */
export interface OpenTrainedModelOptions {
  /** Receives warnings (a damaged state.json, inputs longer than the model takes). */
  onWarning?: (message: string) => void;
}

/**
 * Loads a model for inference from a checkpoint's files alone (config,
 * weights, tokenizers, generation defaults), wherever `reader` gets them:
 * every file is checked the same way.
 */
export async function openTrainedModel(reader: CheckpointReader, options: OpenTrainedModelOptions = {}): Promise<TrainedModel> {
  const warn = options.onWarning;
  const loaded = await readCheckpointFrom(reader, {
    createModel: (config) => Seq2SeqModel.create(config),
    weightShapes: seq2seqWeightShapes,
    // Inference does not need the training position: a damaged state.json is only a warning.
    onBadState: (error) => warn?.(`${error.message}; generating anyway (resuming training from this checkpoint would fail)`),
  });
  try {
    const { sourceTokenizer, targetTokenizer } = buildTokenizers(loaded.dir, loaded.config, loaded);
    const model = loaded.model;
    return {
      dir: loaded.dir,
      config: loaded.config,
      model,
      stepModel: model.asStepModel() as StepModel<unknown>,
      sourceTokenizer,
      targetTokenizer,
      generation: loaded.generation,
      state: loaded.state,
      inputLimit: inputTokenLimit(loaded.config),
      ...(warn ? { onWarning: warn } : {}),
      dispose: () => model.dispose(),
    };
  } catch (error) {
    loaded.model.dispose();
    throw error;
  }
}

/** The tokenizers of a checkpoint's files, checked against its model's vocabulary sizes. */
export function buildTokenizers(
  dir: string,
  config: CheckpointConfig,
  files: Pick<LoadedCheckpoint, 'tokenizers' | 'tokenizerConfigs'>,
): { sourceTokenizer: Tokenizer; targetTokenizer: Tokenizer } {
  if (files.tokenizers.target === undefined) {
    throw new CheckpointError(`${dir}/tokenizer.json`, 'missing; this checkpoint has no tokenizer, so text cannot be encoded');
  }
  const targetTokenizer = tokenizerFromJson(files.tokenizers.target as object, files.tokenizerConfigs.target ?? {}, { source: `${dir}/tokenizer.json` });
  const sourceTokenizer =
    files.tokenizers.source === undefined
      ? targetTokenizer
      : tokenizerFromJson(files.tokenizers.source as object, files.tokenizerConfigs.source ?? {}, { source: `${dir}/source-tokenizer.json` });
  checkVocabulary(config, sourceTokenizer, targetTokenizer, dir);
  return { sourceTokenizer, targetTokenizer };
}

function checkVocabulary(config: CheckpointConfig, source: Tokenizer, target: Tokenizer, dir: string): void {
  if (target.vocabSize !== config.model.targetVocabSize) {
    throw new CheckpointError(
      `${dir}/tokenizer.json`,
      `has ${target.vocabSize} tokens but the model's target vocabulary has ${config.model.targetVocabSize}; the files come from different models`,
    );
  }
  if (config.model.task === 'seq2seq' && source.vocabSize !== config.model.sourceVocabSize) {
    throw new CheckpointError(
      `${dir}/source-tokenizer.json`,
      `has ${source.vocabSize} tokens but the model's source vocabulary has ${config.model.sourceVocabSize}; the files come from different models`,
    );
  }
}
