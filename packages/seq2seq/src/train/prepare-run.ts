import { dirname } from 'node:path';
import { SeededRng } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import { readTensors } from '../checkpoint/checkpoint-reader.js';
import { folderReader } from '../checkpoint/folder-reader.js';
import { checkGenerationOptions } from '../checkpoint/generation-options.js';
import { prepareOutDir } from '../checkpoint/out-dir.js';
import { checkResumable, openResumePoint, prepareResumedModel, type ResumePoint, restoreWeightsAndOptimizer } from '../checkpoint/resume.js';
import type { TrainingState } from '../checkpoint/training-state.js';
import { dataFingerprint } from '../data/data-fingerprint.js';
import type { TrainableModel } from '../model-contract.js';
import { createOptimizer } from '../optim/create-optimizer.js';
import { createSchedule, type LrSchedule } from '../optim/lr-schedule.js';
import { type Optimizer, resolveOptimizerOptions } from '../optim/optimizer.js';
import { TrainingError } from '../training-error.js';
import { CarriedState } from './carried-state.js';
import { checkTokenizers } from './check-tokenizers.js';
import { epochPlan } from './epoch-plan.js';
import { DEFAULT_LOG_EVERY, MetricsLog } from './metrics-log.js';
import { TensorBoardLog } from './tensorboard/tensorboard-log.js';
import { resolveTensorBoardOptions, type TensorBoardOptions } from './tensorboard/tensorboard-options.js';
import { type ResolvedTrainSettings, resolveCarryState, type TrainOptions } from './train-options.js';

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
  /** Training time at the last evaluation of this process (for `evalEveryMinutes`). */
  lastEvaluationElapsedMs: number | null;
  /** run.json was written by this run (with its first checkpoint). */
  runFileWritten: boolean;
  /** `<outDir>/metrics.jsonl`, when there is an outDir. */
  metrics: MetricsLog | null;
  /** The TensorBoard event file fed by `metrics` (option `tensorboard`), else null. */
  tensorboard: TensorBoardLog | null;
  /** The recurrent state carried between stream windows (settings.carryState), else null. */
  carried: CarriedState | null;
}

function trainableWeights(model: TrainableModel): Map<string, tf.Variable> {
  const frozen = model.frozen ?? new Set<string>();
  return new Map([...model.namedWeights()].filter(([name]) => !frozen.has(name)));
}

function resolveModel(options: TrainOptions, point: ResumePoint | undefined): TrainableModel {
  if (options.model) return options.model;
  if (!options.createModel) throw new TrainingError('train needs `model`, or `createModel` with `modelConfig` or `resumeFrom`');
  if (options.modelConfig) return options.createModel(options.modelConfig);
  if (point) return options.createModel(point.config.model);
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

function newRun(options: TrainOptions, settings: ResolvedTrainSettings, model: TrainableModel): TrainRun {
  const trainable = trainableWeights(model);
  if (trainable.size === 0) throw new TrainingError('the model has no trainable weights (all are frozen)');
  const baseRate = resolveOptimizerOptions(settings.optimizer).learningRate;
  // the schedule first: it may reject its options, and allocates nothing
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
    lastEvaluationElapsedMs: null,
    runFileWritten: false,
    metrics: null,
    tensorboard: null,
    carried: settings.carryState === true ? new CarriedState() : null,
  };
}

/** Continues `run` where the checkpoint stopped: weights, optimizer, schedule, generator and data position. */
async function restore(run: TrainRun, point: ResumePoint): Promise<void> {
  checkResumable(point, {
    model: run.model,
    settings: run.settings,
    dataFingerprint: run.state.dataFingerprint,
    batchesInEpoch: (epoch) => epochPlan(run.options.train, epoch, run.settings).length,
  });
  await restoreWeightsAndOptimizer(point, run.model, run.optimizer);
  await restoreCarriedState(run, point);
  const state = structuredClone(point.state);
  run.schedule.setState(state.schedule);
  run.rng = SeededRng.fromState(state.rng);
  run.state = state;
  run.priorElapsedMs = state.elapsedMs;
  run.lastCheckpointStep = state.step;
  run.lastEvaluationStep = state.history.at(-1)?.step ?? null;
}

/** The state a checkpoint carried between stream windows (carried-state.json), when it has one and the run carries state. */
async function restoreCarriedState(run: TrainRun, point: ResumePoint): Promise<void> {
  const name = point.config.files.carriedState;
  if (!name || run.carried === null || point.state.batchInEpoch === 0) return;
  const { tensors } = await readTensors(folderReader(point.dir), name.replace(/\.json$/, ''));
  try {
    run.carried.restore(tensors);
  } catch (error) {
    tf.dispose([...tensors.values()]);
    throw new CheckpointError(`${point.dir}/${name}`, `${(error as Error).message}; the file is corrupt (resume from another checkpoint)`);
  }
}

/** The checkpoint `resumeFrom` names, opened (config.json and state.json read once). */
export async function resumePointOf(resumeFrom: TrainOptions['resumeFrom']): Promise<ResumePoint | undefined> {
  if (resumeFrom === undefined) return undefined;
  return typeof resumeFrom === 'string' ? openResumePoint(resumeFrom) : resumeFrom;
}

/**
 * Checks the output folder, builds the model (unless given), optimizer and
 * schedule, and restores them when resuming. On failure, whatever it
 * allocated is released.
 */
export async function prepareRun(options: TrainOptions, settings: ResolvedTrainSettings): Promise<TrainRun> {
  const board = resolveTensorBoardOptions(options.tensorboard, options.outDir);
  const point = await resumePointOf(options.resumeFrom);
  if (options.outDir) await prepareOutDir(options.outDir, { overwrite: options.overwrite ?? false, ...(point ? { resumeDir: point.dir } : {}) });
  const model = resolveModel(options, point);
  let run: TrainRun | undefined;
  try {
    checkTokenizers(options.tokenizers, model.config);
    checkGenerationOptions(options.generation, model.config.targetVocabSize, (message) => new TrainingError(`train option generation: ${message}`));
    if (point) prepareResumedModel(point, model);
    resolveCarryState(settings, model.config.task, options.dataParallel);
    run = newRun(options, settings, model);
    if (point) await restore(run, point);
    if (options.outDir) {
      const resumed = point ? { step: run.state.step, runDir: dirname(point.dir) } : null;
      const tensorboard = board ? openTensorBoard(run, board, resumed?.step ?? null) : null;
      run.tensorboard = tensorboard;
      run.metrics = MetricsLog.open(
        options.outDir,
        options.logEvery ?? DEFAULT_LOG_EVERY,
        resumed,
        tensorboard ? (record) => tensorboard.addRecord(record) : undefined,
      );
    }
    return run;
  } catch (error) {
    run?.optimizer.dispose();
    run?.carried?.dispose();
    if (model !== options.model) model.dispose();
    throw error;
  }
}

/** The run's TensorBoard log; its options table is `runOptions`, else the settings and the model configuration. */
function openTensorBoard(run: TrainRun, options: Required<TensorBoardOptions>, resumedStep: number | null): TensorBoardLog {
  const { runOptions, valid, tokenizers } = run.options;
  return TensorBoardLog.open({
    options,
    resumedStep,
    runOptions: runOptions ?? { ...run.settings, model: run.model.config },
    model: run.model,
    valid: valid ?? [],
    tokenizers,
  });
}

/** Training time over all runs so far (ms). */
export function elapsedMs(run: TrainRun): number {
  return run.priorElapsedMs + (performance.now() - run.startedAt);
}
