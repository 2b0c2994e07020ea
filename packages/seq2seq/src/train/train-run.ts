import type * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { planEpoch } from '../data/batching.js';
import { dataFingerprint } from '../data/data-fingerprint.js';
import { SeededRng } from '../data/seeded-rng.js';
import type { TrainableModel } from '../model-contract.js';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import type { CheckpointConfig } from '../checkpoint/checkpoint-config.js';
import { applyFrozenWeights, frozenWeightNames } from '../checkpoint/frozen-weights.js';
import {
  loadWeightsInto,
  readCheckpointConfig,
  readOptimizerState,
  readTrainingState,
  resolveCheckpointDir,
} from '../checkpoint/load-checkpoint.js';
import { checkGenerationOptions } from '../checkpoint/generation-options.js';
import { checkTokenizers } from './check-tokenizers.js';
import { createOptimizer } from '../optim/create-optimizer.js';
import { createSchedule, type LrSchedule } from '../optim/lr-schedule.js';
import { resolveOptimizerOptions, type Optimizer } from '../optim/optimizer.js';
import type { ResolvedTrainSettings, TrainOptions } from './train-options.js';
import { TrainingError } from '../training-error.js';
import type { TrainingState } from '../checkpoint/training-state.js';

/** Everything a training run works with. */
export interface TrainRun {
  options: TrainOptions;
  settings: ResolvedTrainSettings;
  model: TrainableModel;
  /** Variables the optimizer updates (all named weights minus frozen ones). */
  trainable: Map<string, tf.Variable>;
  optimizer: Optimizer;
  schedule: LrSchedule;
  rng: SeededRng;
  state: TrainingState;
  /** Time of this process's start of training (performance.now()). */
  startedAt: number;
  /** Training time of earlier runs (when resumed). */
  priorElapsedMs: number;
  /** Step of the last written `last/` checkpoint, and of the last evaluation. */
  lastCheckpointStep: number | null;
  lastEvaluationStep: number | null;
}

function trainableWeights(model: TrainableModel): Map<string, tf.Variable> {
  const frozen = model.frozen ?? new Set<string>();
  return new Map([...model.namedWeights()].filter(([name]) => !frozen.has(name)));
}

async function resolveModel(options: TrainOptions, resumeDir: string | undefined): Promise<TrainableModel> {
  if (options.model) return options.model;
  if (!options.createModel) throw new TrainingError('train needs `model`, or `createModel` with `modelConfig` or `resumeFrom`');
  if (options.modelConfig) return options.createModel(options.modelConfig);
  if (resumeDir) return options.createModel((await readCheckpointConfig(resumeDir)).model);
  throw new TrainingError('`createModel` needs `modelConfig` (or `resumeFrom` to read it from a checkpoint)');
}

function freshState(settings: ResolvedTrainSettings, baseRate: number, fingerprint: string): TrainingState {
  return {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    rng: new SeededRng(settings.seed).getState(),
    bestValidLoss: null,
    bestStep: null,
    evaluationsWithoutImprovement: 0,
    schedule: { learningRate: baseRate, best: null, badEvaluations: 0 },
    history: [],
    elapsedMs: 0,
    tokensSeen: 0,
    dataFingerprint: fingerprint,
  };
}

/**
 * Training options that fix the data plan (which examples form each batch)
 * and so the meaning of the saved data position: they cannot change on resume.
 */
const FIXED_ON_RESUME = ['seed', 'batchSize', 'bucketChunk'] as const;

function checkSettings(run: TrainRun, config: CheckpointConfig, dir: string): void {
  const saved = config.training;
  for (const key of FIXED_ON_RESUME) {
    if (saved[key] === undefined || saved[key] === run.settings[key]) continue;
    throw new CheckpointError(
      join(dir, 'config.json'),
      `was trained with ${key} ${JSON.stringify(saved[key])}, but this run has ${key} ${JSON.stringify(run.settings[key])}; ` +
        `${key} fixes the batches and the saved data position, so resume with ${key}: ${JSON.stringify(saved[key])} ` +
        '(or start a fresh run without resumeFrom)',
    );
  }
  const savedSchedule = (saved.schedule as { type?: unknown } | undefined)?.type;
  if (savedSchedule !== undefined && savedSchedule !== run.settings.schedule.type) {
    throw new CheckpointError(
      join(dir, 'config.json'),
      `was trained with schedule type ${JSON.stringify(savedSchedule)}, but this run has ${JSON.stringify(run.settings.schedule.type)}; ` +
        'resume with the same schedule type (or start a fresh run without resumeFrom)',
    );
  }
}

function checkModelConfig(run: TrainRun, config: CheckpointConfig, dir: string): void {
  const current = run.model.config as unknown as Record<string, unknown>;
  const saved = config.model as unknown as Record<string, unknown>;
  const differing = Object.keys({ ...saved, ...current }).filter((key) => saved[key] !== current[key]);
  if (differing.length > 0) {
    const detail = differing.map((key) => `${key}: ${JSON.stringify(saved[key])} vs ${JSON.stringify(current[key])}`).join(', ');
    throw new CheckpointError(
      join(dir, 'config.json'),
      `its model configuration differs from the model being trained (${detail}); resume with the same configuration`,
    );
  }
}

/** Restores optimizer.json/.bin into the run's optimizer; any mismatch names the file. */
async function restoreOptimizer(run: TrainRun, dir: string): Promise<void> {
  const file = join(dir, 'optimizer.json');
  const { options, state } = await readOptimizerState(dir);
  try {
    const type = run.optimizer.options.type;
    if (options.type !== type) {
      throw new CheckpointError(
        file,
        `optimizer state is for "${options.type}" but this run's optimizer is "${type}"; ` +
          `resume with optimizer type "${options.type}" (or start a fresh run without resumeFrom)`,
      );
    }
    try {
      run.optimizer.setState(state);
    } catch (error) {
      if (!(error instanceof TrainingError)) throw error;
      throw new CheckpointError(
        file,
        `${error.message}; the weights being trained differ from those the checkpoint trained ` +
          '(a weight frozen in one and trainable in the other, or another model)',
      );
    }
  } finally {
    for (const slot of state.slots.values()) slot.dispose();
  }
}

async function restore(run: TrainRun, dir: string): Promise<void> {
  const config = await readCheckpointConfig(dir);
  checkModelConfig(run, config, dir);
  const state = await readTrainingState(dir);
  if (state.dataFingerprint !== run.state.dataFingerprint) {
    throw new CheckpointError(
      join(dir, 'state.json'),
      `was trained on other data (fingerprint ${state.dataFingerprint}, now ${run.state.dataFingerprint}); resume with the same training examples`,
    );
  }
  checkSettings(run, config, dir);
  const batches = planEpoch(run.options.train, state.epoch, run.settings).length;
  if (state.batchInEpoch >= batches) {
    throw new CheckpointError(
      join(dir, 'state.json'),
      `"batchInEpoch" is ${state.batchInEpoch} but an epoch of these examples has ${batches} batches; the file is corrupt (resume from another checkpoint)`,
    );
  }
  await loadWeightsInto(run.model, dir);
  await restoreOptimizer(run, dir);
  run.schedule.setState(state.schedule);
  run.rng = SeededRng.fromState(state.rng);
  run.state = state;
  run.priorElapsedMs = state.elapsedMs;
  run.lastCheckpointStep = state.step;
  run.lastEvaluationStep = state.history.at(-1)?.step ?? null;
}

/**
 * Re-applies the frozen weights a checkpoint recorded, before the optimizer
 * is built, and refuses a model that freezes weights the checkpoint trained.
 */
async function applyCheckpointFrozen(model: TrainableModel, dir: string): Promise<void> {
  const saved = (await readCheckpointConfig(dir)).frozen ?? [];
  applyFrozenWeights(model, saved, dir);
  const extra = frozenWeightNames(model).filter((name) => !saved.includes(name));
  if (extra.length > 0) {
    throw new CheckpointError(
      join(dir, 'config.json'),
      `the checkpoint trained ${extra.join(', ')}, which this model freezes; resume with a model that leaves them trainable`,
    );
  }
}

function newRun(options: TrainOptions, settings: ResolvedTrainSettings, model: TrainableModel): TrainRun {
  const trainable = trainableWeights(model);
  if (trainable.size === 0) throw new TrainingError('the model has no trainable weights (all are frozen)');
  const baseRate = resolveOptimizerOptions(settings.optimizer).learningRate;
  const schedule = createSchedule(settings.schedule, baseRate);
  return {
    options,
    settings,
    model,
    trainable,
    optimizer: createOptimizer(settings.optimizer, trainable),
    schedule,
    rng: new SeededRng(settings.seed),
    state: freshState(settings, baseRate, dataFingerprint(options.train)),
    startedAt: performance.now(),
    priorElapsedMs: 0,
    lastCheckpointStep: null,
    lastEvaluationStep: null,
  };
}

/**
 * Refuses to overwrite checkpoints of another run in `outDir`, unless resuming
 * from that same folder or `overwrite` is set.
 */
function checkOutDir(options: TrainOptions, resumeDir: string | undefined): void {
  const { outDir } = options;
  if (!outDir || options.overwrite) return;
  const existing = ['last', 'best'].map((k) => join(outDir, k)).filter((dir) => existsSync(dir));
  if (existing.length === 0) return;
  const inside = resumeDir !== undefined && !relative(resolve(outDir), resolve(resumeDir)).startsWith('..');
  if (inside) return;
  throw new TrainingError(
    `${existing[0]} already holds a checkpoint of another run; resume it with resumeFrom: '${outDir}', ` +
      'choose another outDir, or set overwrite: true to replace it',
  );
}

/**
 * Builds the model (unless given), optimizer and schedule, and restores them
 * when resuming. On failure, whatever it allocated is released.
 */
export async function prepareRun(options: TrainOptions, settings: ResolvedTrainSettings): Promise<TrainRun> {
  const resumeDir = options.resumeFrom ? await resolveCheckpointDir(options.resumeFrom, 'last') : undefined;
  checkOutDir(options, resumeDir);
  const model = await resolveModel(options, resumeDir);
  let run: TrainRun | undefined;
  try {
    checkTokenizers(options.tokenizers, model.config);
    checkGenerationOptions(options.generation, model.config.targetVocabSize, (message) => new TrainingError(`train option generation: ${message}`));
    if (resumeDir) await applyCheckpointFrozen(model, resumeDir);
    run = newRun(options, settings, model);
    if (resumeDir) await restore(run, resumeDir);
    return run;
  } catch (error) {
    run?.optimizer.dispose();
    if (model !== options.model) model.dispose();
    throw error;
  }
}

/** Training time over all runs so far (ms). */
export function elapsedMs(run: TrainRun): number {
  return run.priorElapsedMs + (performance.now() - run.startedAt);
}
