import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig, TrainableModel } from '../model-contract.js';
import type { OptimizerOptions, OptimizerState } from '../optim/optimizer.js';
import type { TrainingState } from './training-state.js';
import { restoreAbandonedDir } from './atomic-dir.js';
import { applyFrozenWeights } from './frozen-weights.js';
import { checkCheckpointConfig, type CheckpointConfig } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';
import { checkGenerationOptions } from './generation-options.js';
import type { CheckpointTokenizers } from './save-checkpoint.js';
import { checkWeightShapes, type WeightShapes } from './check-shapes.js';
import { containedPath } from './contained-path.js';
import { readJsonFile, readTensorFile, readTensorManifest, type CheckedManifest } from './tensor-file.js';

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
  return checkCheckpointConfig(join(dir, 'config.json'), await readJsonFile(dir, 'config.json'));
}

/** Assigns the weights stored in `dir` to the model's variables (names and shapes must match). */
export async function loadWeightsInto(model: TrainableModel, dir: string, checked?: CheckedManifest): Promise<void> {
  const file = join(dir, 'weights.json');
  const { tensors } = await readTensorFile(dir, 'weights', checked);
  try {
    const weights = model.namedWeights();
    for (const [name, variable] of weights) {
      const saved = tensors.get(name);
      if (!saved) {
        throw new CheckpointError(file, `has no weight "${name}" that the model needs; the model configuration does not match the checkpoint`);
      }
      if (!tf.util.arraysEqual(saved.shape, variable.shape)) {
        throw new CheckpointError(file, `weight "${name}" has shape [${saved.shape}], the model expects [${variable.shape}]`);
      }
    }
    const unused = [...tensors.keys()].filter((name) => !weights.has(name));
    if (unused.length > 0) {
      throw new CheckpointError(file, `holds weights the model does not have: ${unused.slice(0, 5).join(', ')}`);
    }
    for (const [name, variable] of weights) variable.assign(tensors.get(name)!);
  } finally {
    for (const tensor of tensors.values()) tensor.dispose();
  }
}

/** Reads optimizer.json/.bin: the optimizer options and its state (caller disposes the slots). */
export async function readOptimizerState(
  dir: string,
): Promise<{ options: OptimizerOptions; state: OptimizerState }> {
  const { manifest, tensors } = await readTensorFile(dir, 'optimizer');
  const options = manifest.options as OptimizerOptions | undefined;
  if (!options || typeof options.type !== 'string' || typeof manifest.iterations !== 'number') {
    for (const tensor of tensors.values()) tensor.dispose();
    throw new CheckpointError(join(dir, 'optimizer.json'), 'expected "options" (with "type") and "iterations" fields');
  }
  return { options, state: { type: options.type, iterations: manifest.iterations, slots: tensors } };
}

/** Reads state.json (or the file config.json names for it). */
export async function readTrainingState(dir: string, name = 'state.json'): Promise<TrainingState> {
  const declared = name === 'state.json' ? undefined : { field: 'files.state', in: join(dir, 'config.json') };
  const state = (await readJsonFile(dir, name, declared)) as TrainingState;
  const file = join(dir, name);
  for (const key of ['step', 'epoch', 'batchInEpoch', 'elapsedMs', 'tokensSeen'] as const) {
    if (typeof state?.[key] !== 'number') throw new CheckpointError(file, `"${key}" is missing or not a number`);
  }
  if (!Array.isArray(state.rng) || state.rng.length !== 4) {
    throw new CheckpointError(file, '"rng" must be the four-number generator state');
  }
  if (!Array.isArray(state.history) || typeof state.schedule !== 'object' || state.schedule === null) {
    throw new CheckpointError(file, '"history" (array) and "schedule" (object) are required');
  }
  return state;
}

/** A checkpoint loaded for inference (or inspection). */
export interface LoadedCheckpoint<M extends TrainableModel = TrainableModel> {
  /** The checkpoint folder actually read. */
  dir: string;
  config: CheckpointConfig;
  model: M;
  /** tokenizer.json (and source-tokenizer.json) as parsed JSON. */
  tokenizers: CheckpointTokenizers;
  /** tokenizer_config.json (and source-tokenizer_config.json): the special-token roles, when saved. */
  tokenizerConfigs: { target?: Record<string, unknown>; source?: Record<string, unknown> };
  generation: Record<string, unknown>;
  /** Training position, when the checkpoint was written by training. */
  state: TrainingState | undefined;
}

export interface LoadCheckpointOptions<M extends TrainableModel> {
  /** Builds an untrained model of this configuration; its weights are then loaded. */
  createModel(config: ModelConfig): M;
  /** With a training output folder: which checkpoint to read. Default "best". */
  prefer?: 'best' | 'last';
  /**
   * The weight names and shapes a configuration implies, computed without
   * allocating them (e.g. `seq2seqWeightShapes`): when given, weights.json is
   * checked against config.json before the model is built.
   */
  weightShapes?: (config: ModelConfig) => WeightShapes;
  /**
   * Called with the error of a damaged state.json instead of failing (the
   * state is then undefined): inference does not need the training position.
   */
  onBadState?: (error: CheckpointError) => void;
}

/**
 * Loads a checkpoint from its folder alone: rebuilds the model from
 * config.json, loads its weights (marking those recorded as frozen), and
 * returns the tokenizers and their configs (parsed JSON),
 * generation defaults and training state. Any missing, truncated, corrupt or
 * wrong-version file gives a {@link CheckpointError} naming it.
 */
export async function loadCheckpoint<M extends TrainableModel>(
  dir: string,
  options: LoadCheckpointOptions<M>,
): Promise<LoadedCheckpoint<M>> {
  const folder = await resolveCheckpointDir(dir, options.prefer);
  const config = await readCheckpointConfig(folder);
  const weights = await readTensorManifest(folder, 'weights');
  if (options.weightShapes) checkWeightShapes(config.model, weights, join(folder, 'config.json'), options.weightShapes);
  const { tokenizers, tokenizerConfigs } = await readTokenizerFiles(folder, config);
  const generation = (await readJsonFile(folder, 'generation.json')) as Record<string, unknown>;
  checkGenerationOptions(generation, config.model.targetVocabSize, (message) => new CheckpointError(join(folder, 'generation.json'), message));
  const state = config.files.state ? await readStateOf(folder, config.files.state, options.onBadState) : undefined;
  const model = createFromConfig(options.createModel, config.model, folder);
  try {
    await loadWeightsInto(model, folder, weights);
    applyFrozenWeights(model, config.frozen ?? [], folder);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { dir: folder, config, model, tokenizers, tokenizerConfigs, generation, state };
}

/** A checkpoint's tokenizer files (parsed JSON) and their configs, as config.json lists them. */
export async function readTokenizerFiles(
  folder: string,
  config: CheckpointConfig,
): Promise<Pick<LoadedCheckpoint, 'tokenizers' | 'tokenizerConfigs'>> {
  const configPath = join(folder, 'config.json');
  const read = (field: keyof CheckpointConfig['files']) => {
    const name = config.files[field];
    return name ? readJsonFile(folder, name, { field: `files.${field}`, in: configPath }) : undefined;
  };
  const tokenizers: CheckpointTokenizers = {};
  const [target, source, targetConfig, sourceConfig] = [
    await read('tokenizer'), await read('sourceTokenizer'), await read('tokenizerConfig'), await read('sourceTokenizerConfig'),
  ];
  if (target !== undefined) tokenizers.target = target;
  if (source !== undefined) tokenizers.source = source;
  const tokenizerConfigs: LoadedCheckpoint['tokenizerConfigs'] = {};
  if (targetConfig !== undefined) tokenizerConfigs.target = targetConfig as Record<string, unknown>;
  if (sourceConfig !== undefined) tokenizerConfigs.source = sourceConfig as Record<string, unknown>;
  return { tokenizers, tokenizerConfigs };
}

/** state.json of a checkpoint (named by `files.state`); with `onBadState`, a damaged one is reported and skipped. */
async function readStateOf(
  folder: string,
  name: string,
  onBadState: ((error: CheckpointError) => void) | undefined,
): Promise<TrainingState | undefined> {
  try {
    return await readTrainingState(folder, name);
  } catch (error) {
    if (!(error instanceof CheckpointError) || !onBadState) throw error;
    onBadState(error);
    return undefined;
  }
}

/** Builds the model of a checkpoint; a config the model rejects is reported against config.json. */
function createFromConfig<M>(createModel: (config: ModelConfig) => M, config: ModelConfig, folder: string): M {
  try {
    return createModel(config);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(join(folder, 'config.json'), error instanceof Error ? error.message : String(error));
  }
}
