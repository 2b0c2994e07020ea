import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainableModel } from '../model-contract.js';
import type { Optimizer } from '../optim/optimizer.js';
import { TRAIN_OPTION_TABLE, type TrainOptionName } from '../options/train-option-table.js';
import { TrainingError } from '../training-error.js';
import type { CheckpointConfig } from './checkpoint-config.js';
import { CheckpointError } from './checkpoint-error.js';
import { applyFrozenWeights, frozenWeightNames } from './frozen-weights.js';
import { loadWeightsInto, readCheckpointConfig, readOptimizerState, readTrainingState, resolveCheckpointDir } from './load-checkpoint.js';
import { migrateTrainingState } from './migrate-training-state.js';
import type { TrainingState } from './training-state.js';

/**
 * A checkpoint opened to continue training from: its folder, config.json and
 * state.json, each read once. Pass it (or the folder) as `resumeFrom`.
 */
export interface ResumePoint {
  /** The checkpoint folder (`<outDir>/last` when an output folder was given). */
  dir: string;
  config: CheckpointConfig;
  state: TrainingState;
}

/**
 * Training options that fix the data plan (which examples form each batch)
 * and so the meaning of the saved data position: the `run` rows of
 * `TRAIN_OPTION_TABLE` marked fixed on resume (seed, batchSize, bucketChunk,
 * carryState). They cannot change on resume.
 */
export const FIXED_TRAINING_SETTINGS: readonly TrainOptionName[] = TRAIN_OPTION_TABLE.filter((r) => r.group === 'run' && r.fixedOnResume).map((r) => r.name);

/** What a run about to continue from a {@link ResumePoint} trains with. */
export interface ResumeTarget {
  model: TrainableModel;
  /** The run's resolved settings (seed, batchSize, bucketChunk, schedule type…). */
  settings: Partial<Readonly<Record<TrainOptionName, unknown>>> & { schedule: { type: string } };
  /** Fingerprint of the run's training examples. */
  dataFingerprint: string;
  /** Batches in the epoch the checkpoint stopped in, with the run's examples. */
  batchesInEpoch(epoch: number): number;
}

/**
 * Opens the checkpoint to resume from: `path` is a checkpoint folder or a
 * training output folder (its `last/` is used). A missing path says so.
 */
export async function openResumePoint(path: string): Promise<ResumePoint> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new CheckpointError(path, 'does not exist; resume from a checkpoint folder or the output folder of a training run');
  if (!info.isDirectory()) throw new CheckpointError(path, 'is a file; resume from a checkpoint folder or the output folder of a training run');
  const dir = await resolveCheckpointDir(path, 'last');
  const config = await readCheckpointConfig(dir);
  return { dir, config, state: migrateTrainingState(await readTrainingState(dir), config.formatVersion, dir) };
}

/**
 * Re-applies the frozen weights the checkpoint recorded (before the optimizer
 * is built) and refuses a model of another configuration, or one that freezes
 * weights the checkpoint trained.
 */
export function prepareResumedModel(point: ResumePoint, model: TrainableModel): void {
  const file = join(point.dir, 'config.json');
  const current = model.config as unknown as Record<string, unknown>;
  const saved = point.config.model as unknown as Record<string, unknown>;
  const differing = Object.keys({ ...saved, ...current }).filter((key) => saved[key] !== current[key]);
  if (differing.length > 0) {
    const detail = differing.map((key) => `${key}: ${JSON.stringify(saved[key])} vs ${JSON.stringify(current[key])}`).join(', ');
    throw new CheckpointError(file, `its model configuration differs from the model being trained (${detail}); resume with the same configuration`);
  }
  const frozen = point.config.frozen ?? [];
  applyFrozenWeights(model, frozen, join(point.dir, 'config.json'));
  const extra = frozenWeightNames(model).filter((name) => !frozen.includes(name));
  if (extra.length > 0) {
    throw new CheckpointError(file, `the checkpoint trained ${extra.join(', ')}, which this model freezes; resume with a model that leaves them trainable`);
  }
}

/** Refuses to continue on other data, with settings that change the data plan, or from a corrupt position. */
export function checkResumable(point: ResumePoint, target: ResumeTarget): void {
  const { dir, state } = point;
  if (state.dataFingerprint !== target.dataFingerprint) {
    throw new CheckpointError(
      join(dir, 'state.json'),
      `was trained on other data (fingerprint ${state.dataFingerprint}, now ${target.dataFingerprint}); resume with the same training examples`,
    );
  }
  const saved = point.config.training;
  const file = join(dir, 'config.json');
  for (const key of FIXED_TRAINING_SETTINGS) {
    // checkpoints from before carryState existed trained every window from zeros
    const was = key === 'carryState' ? (saved[key] ?? false) : saved[key];
    if (was === undefined || was === target.settings[key]) continue;
    throw new CheckpointError(
      file,
      `was trained with ${key} ${JSON.stringify(was)}, but this run has ${key} ${JSON.stringify(target.settings[key])}; ` +
        `${key} fixes the batches and the saved data position, so resume with ${key}: ${JSON.stringify(was)} ` +
        '(or start a fresh run without resumeFrom)',
    );
  }
  const savedSchedule = (saved.schedule as { type?: unknown } | undefined)?.type;
  if (savedSchedule !== undefined && savedSchedule !== target.settings.schedule.type) {
    throw new CheckpointError(
      file,
      `was trained with schedule type ${JSON.stringify(savedSchedule)}, but this run has ${JSON.stringify(target.settings.schedule.type)}; ` +
        'resume with the same schedule type (or start a fresh run without resumeFrom)',
    );
  }
  checkScheduleHorizon(file, saved.schedule as Record<string, unknown> | undefined, target.settings.schedule as unknown as Record<string, unknown>);
  const batches = target.batchesInEpoch(state.epoch);
  if (state.batchInEpoch >= batches) {
    throw new CheckpointError(
      join(dir, 'state.json'),
      `"batchInEpoch" is ${state.batchInEpoch} but an epoch of these examples has ${batches} batches; the file is corrupt (resume from another checkpoint)`,
    );
  }
}

/** Settings of a decaying schedule that fix its curve: changing one on resume would make the rate jump. */
const SCHEDULE_CURVE = ['warmupSteps', 'minLearningRate', 'totalSteps', 'totalMinutes'] as const;

/**
 * A warmup-and-decay schedule (inverse-sqrt, cosine, linear) continues on
 * resume from the saved step and training time, so its warmup, floor and
 * horizon must stay as they were.
 */
function checkScheduleHorizon(file: string, saved: Record<string, unknown> | undefined, current: Record<string, unknown>): void {
  if (!saved || !['inverse-sqrt', 'cosine', 'linear'].includes(String(saved.type)) || saved.type !== current.type) return;
  const differing = SCHEDULE_CURVE.filter((key) => saved[key] !== current[key]);
  if (differing.length === 0) return;
  const detail = differing.map((key) => `${key} ${JSON.stringify(saved[key] ?? null)}, now ${JSON.stringify(current[key] ?? null)}`).join('; ');
  throw new CheckpointError(
    file,
    `was trained with a ${String(saved.type)} schedule of other settings (${detail}); its rate continues from the saved step and training time, ` +
      'so resume with the same warmup, minimum and horizon (--max-steps / --max-minutes / --epochs that set it), or start a fresh run',
  );
}

/** Loads the checkpoint's weights into `model` and its optimizer state into `optimizer`; any mismatch names the file. */
export async function restoreWeightsAndOptimizer(point: ResumePoint, model: TrainableModel, optimizer: Optimizer): Promise<void> {
  await loadWeightsInto(model, point.dir);
  const file = join(point.dir, 'optimizer.json');
  const { options, state } = await readOptimizerState(point.dir);
  try {
    const type = optimizer.options.type;
    if (options.type !== type) {
      throw new CheckpointError(
        file,
        `optimizer state is for "${options.type}" but this run's optimizer is "${type}"; ` +
          `resume with optimizer type "${options.type}" (or start a fresh run without resumeFrom)`,
      );
    }
    try {
      optimizer.setState(state);
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
