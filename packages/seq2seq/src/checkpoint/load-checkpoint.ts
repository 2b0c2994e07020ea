import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { restoreAbandonedDir } from '@seqloom/core/node';
import type { TrainableModel } from '../model-contract.js';
import type { OptimizerOptions, OptimizerState } from '../optim/optimizer.js';
import type { CheckpointConfig } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';
import { readTensors } from './checkpoint-reader.js';
import { containedPath } from './contained-path.js';
import { folderReader } from './folder-reader.js';
import {
  type LoadedCheckpoint,
  loadWeightsFrom,
  type ReadCheckpointOptions,
  readCheckpointFrom,
  readConfigFrom,
  readStateFrom,
  readTokenizerFilesFrom,
} from './read-checkpoint.js';
import type { CheckedManifest } from './tensor-manifest.js';
import type { TrainingState } from './training-state.js';

export type { LoadedCheckpoint } from './read-checkpoint.js';

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Accepts a checkpoint folder, or a training output folder holding `best/`
 * and `last/` checkpoints (then `prefer` picks one, falling back to the other).
 */
export async function resolveCheckpointDir(dir: string, prefer: 'best' | 'last' = 'best'): Promise<string> {
  await restoreAbandonedDir(dir);
  if (await isFile(join(dir, 'config.json'))) return dir;
  const order = prefer === 'best' ? ['best', 'last'] : ['last', 'best'];
  for (const sub of order) {
    await restoreAbandonedDir(join(dir, sub));
    // best/ or last/ may not be a link out of the training folder.
    if (await isFile(join(dir, sub, 'config.json'))) return containedPath(dir, sub, `${sub}/`, dir);
  }
  throw new CheckpointError(
    join(dir, 'config.json'),
    'missing; expected a checkpoint folder (with config.json) or a training output folder with best/ or last/',
  );
}

/** Reads and validates config.json of a checkpoint folder. */
export async function readCheckpointConfig(dir: string): Promise<CheckpointConfig> {
  return readConfigFrom(folderReader(dir));
}

/** Assigns the weights stored in `dir` to the model's variables (names and shapes must match). */
export async function loadWeightsInto(model: TrainableModel, dir: string, checked?: CheckedManifest): Promise<void> {
  await loadWeightsFrom(model, folderReader(dir), checked);
}

/** Reads optimizer.json/.bin: the optimizer options and its state (caller disposes the slots). */
export async function readOptimizerState(dir: string): Promise<{ options: OptimizerOptions; state: OptimizerState }> {
  const { manifest, tensors } = await readTensors(folderReader(dir), 'optimizer');
  const options = manifest.options as OptimizerOptions | undefined;
  if (!options || typeof options.type !== 'string' || typeof manifest.iterations !== 'number') {
    for (const tensor of tensors.values()) tensor.dispose();
    throw new CheckpointError(join(dir, 'optimizer.json'), 'expected "options" (with "type") and "iterations" fields');
  }
  return { options, state: { type: options.type, iterations: manifest.iterations, slots: tensors } };
}

/** Reads state.json (or the file config.json names for it). */
export async function readTrainingState(dir: string, name = 'state.json'): Promise<TrainingState> {
  return readStateFrom(folderReader(dir), name);
}

/** Options of `loadCheckpoint`: those of reading a checkpoint, plus what loading into a model needs. */
export interface LoadCheckpointOptions<M extends TrainableModel> extends ReadCheckpointOptions<M> {
  /** With a training output folder: which checkpoint to read. Default "best". */
  prefer?: 'best' | 'last';
}

/**
 * Loads a checkpoint from its folder alone: rebuilds the model from
 * config.json, loads its weights (marking those recorded as frozen), and
 * returns the tokenizers and their configs (parsed JSON),
 * generation defaults and training state. Any missing, truncated, corrupt or
 * wrong-version file gives a {@link CheckpointError} naming it.
 */
export async function loadCheckpoint<M extends TrainableModel>(dir: string, options: LoadCheckpointOptions<M>): Promise<LoadedCheckpoint<M>> {
  return readCheckpointFrom(folderReader(await resolveCheckpointDir(dir, options.prefer)), options);
}

/** A checkpoint folder's tokenizer files (parsed JSON) and their configs, as config.json lists them. */
export async function readTokenizerFiles(folder: string, config: CheckpointConfig): Promise<Pick<LoadedCheckpoint, 'tokenizers' | 'tokenizerConfigs'>> {
  return readTokenizerFilesFrom(folderReader(folder), config);
}
