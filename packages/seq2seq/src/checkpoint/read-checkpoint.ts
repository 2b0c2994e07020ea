import * as tf from '@tensorflow/tfjs';
import type { ModelConfig, TrainableModel } from '../model-contract.js';
import { checkWeightShapes, type WeightShapes } from './check-shapes.js';
import { type CheckpointConfig, checkCheckpointConfig } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';
import { type CheckpointReader, readCheckpointJson, readManifest, readTensors } from './checkpoint-reader.js';
import { applyFrozenWeights } from './frozen-weights.js';
import { checkGenerationBounds, checkGenerationOptions } from './generation-options.js';
import type { CheckedManifest } from './tensor-manifest.js';
import type { CheckpointTokenizers } from './tokenizer-files.js';
import type { TrainingState } from './training-state.js';
import { sharedIdMessage, sharedVocabularyId } from './vocabulary-ids.js';

/** A checkpoint loaded for inference (or inspection). */
export interface LoadedCheckpoint<M extends TrainableModel = TrainableModel> {
  /** The checkpoint folder actually read (a path, or a URL in a browser). */
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

/** How a checkpoint's model is built and checked, wherever its files come from. */
export interface ReadCheckpointOptions<M extends TrainableModel> {
  /** Builds an untrained model of this configuration; its weights are then loaded. */
  createModel(config: ModelConfig): M;
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

/** Reads and validates config.json. */
export async function readConfigFrom(reader: CheckpointReader): Promise<CheckpointConfig> {
  return checkCheckpointConfig(reader.pathOf('config.json'), await readCheckpointJson(reader, 'config.json'));
}

/** Assigns the weights stored in the checkpoint to the model's variables (names and shapes must match). */
export async function loadWeightsFrom(model: TrainableModel, reader: CheckpointReader, checked?: CheckedManifest): Promise<void> {
  const file = reader.pathOf('weights.json');
  const { tensors } = await readTensors(reader, 'weights', checked);
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

/** Reads state.json (or the file config.json names for it) and checks its fields. */
export async function readStateFrom(reader: CheckpointReader, name = 'state.json'): Promise<TrainingState> {
  const declared = name === 'state.json' ? undefined : { field: 'files.state', in: reader.pathOf('config.json') };
  const state = (await readCheckpointJson(reader, name, declared)) as TrainingState;
  const file = reader.pathOf(name);
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

/** A checkpoint's tokenizer files (parsed JSON) and their configs, as config.json lists them. */
export async function readTokenizerFilesFrom(
  reader: CheckpointReader,
  config: CheckpointConfig,
): Promise<Pick<LoadedCheckpoint, 'tokenizers' | 'tokenizerConfigs'>> {
  const configPath = reader.pathOf('config.json');
  const read = (field: keyof CheckpointConfig['files']) => {
    const name = config.files[field];
    return name ? readCheckpointJson(reader, name, { field: `files.${field}`, in: configPath }) : undefined;
  };
  const tokenizers: CheckpointTokenizers = {};
  const [target, source, targetConfig, sourceConfig] = [
    await read('tokenizer'),
    await read('sourceTokenizer'),
    await read('tokenizerConfig'),
    await read('sourceTokenizerConfig'),
  ];
  for (const [field, json] of [
    ['tokenizer', target],
    ['sourceTokenizer', source],
  ] as const) {
    const shared = json === undefined ? undefined : sharedVocabularyId(json);
    if (shared) throw new CheckpointError(reader.pathOf(config.files[field]!), sharedIdMessage(shared));
  }
  if (target !== undefined) tokenizers.target = target;
  if (source !== undefined) tokenizers.source = source;
  const tokenizerConfigs: LoadedCheckpoint['tokenizerConfigs'] = {};
  if (targetConfig !== undefined) tokenizerConfigs.target = targetConfig as Record<string, unknown>;
  if (sourceConfig !== undefined) tokenizerConfigs.source = sourceConfig as Record<string, unknown>;
  return { tokenizers, tokenizerConfigs };
}

/**
 * Loads a checkpoint from its files alone: rebuilds the model from
 * config.json, loads its weights (marking those recorded as frozen), and
 * returns the tokenizers and their configs (parsed JSON), generation
 * defaults and training state. Any missing, truncated, corrupt or
 * wrong-version file gives a {@link CheckpointError} naming it.
 */
export async function readCheckpointFrom<M extends TrainableModel>(reader: CheckpointReader, options: ReadCheckpointOptions<M>): Promise<LoadedCheckpoint<M>> {
  const configPath = reader.pathOf('config.json');
  const config = await readConfigFrom(reader);
  const weights = await readManifest(reader, 'weights');
  if (options.weightShapes) checkWeightShapes(config.model, weights, configPath, options.weightShapes);
  const { tokenizers, tokenizerConfigs } = await readTokenizerFilesFrom(reader, config);
  const generation = (await readCheckpointJson(reader, 'generation.json')) as Record<string, unknown>;
  const generationError = (message: string) => new CheckpointError(reader.pathOf('generation.json'), message);
  checkGenerationOptions(generation, config.model.targetVocabSize, generationError);
  checkGenerationBounds(generation, { vocabSize: config.model.targetVocabSize, lengths: config.lengths }, generationError);
  const state = config.files.state ? await readStateOf(reader, config.files.state, options.onBadState) : undefined;
  const model = createFromConfig(options.createModel, config.model, configPath);
  try {
    await loadWeightsFrom(model, reader, weights);
    applyFrozenWeights(model, config.frozen ?? [], configPath);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { dir: reader.dir, config, model, tokenizers, tokenizerConfigs, generation, state };
}

/** state.json of a checkpoint (named by `files.state`); with `onBadState`, a damaged one is reported and skipped. */
async function readStateOf(
  reader: CheckpointReader,
  name: string,
  onBadState: ((error: CheckpointError) => void) | undefined,
): Promise<TrainingState | undefined> {
  try {
    return await readStateFrom(reader, name);
  } catch (error) {
    if (!(error instanceof CheckpointError) || !onBadState) throw error;
    onBadState(error);
    return undefined;
  }
}

/** Builds the model of a checkpoint; a config the model rejects is reported against config.json. */
function createFromConfig<M>(createModel: (config: ModelConfig) => M, config: ModelConfig, configPath: string): M {
  try {
    return createModel(config);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(configPath, error instanceof Error ? error.message : String(error));
  }
}
