import type * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { dataFingerprint } from '../data/data-fingerprint.js';
import { SeededRng } from '../data/seeded-rng.js';
import type { TrainableModel } from '../model-contract.js';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import {
  loadWeightsInto,
  readCheckpointConfig,
  readOptimizerState,
  readTrainingState,
  resolveCheckpointDir,
} from '../checkpoint/load-checkpoint.js';
import { createOptimizer } from './create-optimizer.js';
import { createSchedule, type LrSchedule } from './lr-schedule.js';
import { resolveOptimizerOptions, type Optimizer } from './optimizer.js';
import type { ResolvedTrainSettings, TrainOptions } from './train-options.js';
import { TrainingError } from './training-error.js';
import type { TrainingState } from './training-state.js';

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
  const frozen = (model as { frozen?: ReadonlySet<string> }).frozen ?? new Set<string>();
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

async function restore(run: TrainRun, dir: string): Promise<void> {
  const config = await readCheckpointConfig(dir);
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
  const state = await readTrainingState(dir);
  if (state.dataFingerprint !== run.state.dataFingerprint) {
    throw new CheckpointError(
      join(dir, 'state.json'),
      `was trained on other data (fingerprint ${state.dataFingerprint}, now ${run.state.dataFingerprint}); resume with the same training examples`,
    );
  }
  await loadWeightsInto(run.model, dir);
  const { state: optimizerState } = await readOptimizerState(dir);
  try {
    run.optimizer.setState(optimizerState);
  } finally {
    for (const slot of optimizerState.slots.values()) slot.dispose();
  }
  run.schedule.setState(state.schedule);
  run.rng = SeededRng.fromState(state.rng);
  run.state = state;
  run.priorElapsedMs = state.elapsedMs;
  run.lastCheckpointStep = state.step;
  run.lastEvaluationStep = state.history.at(-1)?.step ?? null;
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
