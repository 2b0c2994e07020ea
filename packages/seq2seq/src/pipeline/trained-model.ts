import type { Tokenizer } from '@seqloom/tokenizer';
import type { CheckpointConfig } from '../checkpoint/checkpoint-config.js';
import { folderReader } from '../checkpoint/folder-reader.js';
import { readCheckpointConfig, readTokenizerFiles, resolveCheckpointDir } from '../checkpoint/load-checkpoint.js';
import { buildTokenizers, openTrainedModel, type TrainedModel } from './open-trained-model.js';

export type { TrainedModel } from './open-trained-model.js';

/** Options of {@link loadTrainedModel}. */
export interface LoadTrainedModelOptions {
  /** With a training output folder: which checkpoint to read. Default "best". */
  prefer?: 'best' | 'last';
  /** Receives warnings (a damaged state.json, inputs longer than the model takes). */
  onWarning?: (message: string) => void;
}

/**
 * Loads a model for inference from a checkpoint folder alone (config, weights,
 * tokenizers, generation defaults). A training output folder resolves to its
 * `best/` checkpoint, else `last/` (or the other way round with `prefer`).
 */
export async function loadTrainedModel(dir: string, options: LoadTrainedModelOptions = {}): Promise<TrainedModel> {
  const folder = await resolveCheckpointDir(dir, options.prefer);
  return openTrainedModel(folderReader(folder), options.onWarning ? { onWarning: options.onWarning } : {});
}

/**
 * The source and target tokenizers of a checkpoint, without loading its
 * weights (e.g. to encode data before resuming training from it).
 */
export async function loadCheckpointTokenizers(
  from: string | { dir: string; config: CheckpointConfig },
  options: { prefer?: 'best' | 'last' } = {},
): Promise<{ sourceTokenizer: Tokenizer; targetTokenizer: Tokenizer }> {
  // an opened checkpoint (a ResumePoint) has its config.json read already
  const folder = typeof from === 'string' ? await resolveCheckpointDir(from, options.prefer) : from.dir;
  const config = typeof from === 'string' ? await readCheckpointConfig(folder) : from.config;
  return buildTokenizers(folder, config, await readTokenizerFiles(folder, config));
}
