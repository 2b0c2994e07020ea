import type { ResumePoint } from '../checkpoint/resume.js';
import type { CheckpointTokenizers } from '../checkpoint/tokenizer-files.js';
import type { SequenceExample } from '../data/sequence-example.js';
import type { ModelConfig, TrainableModel } from '../model-contract.js';
import { learningRateProblem } from '../optim/learning-rate-bound.js';
import type { ScheduleOptions } from '../optim/lr-schedule.js';
import type { OptimizerOptions } from '../optim/optimizer.js';
import { optimizerOptionsFrom, scheduleOptionsFrom } from '../options/flat-optimizer-options.js';
import { checkTrainOption } from '../options/train-option-definition.js';
import { TRAIN_OPTION_TABLE, type TrainOptionFields } from '../options/train-option-table.js';
import { TrainingError } from '../training-error.js';
import type { EvaluationMetrics } from './evaluate.js';
import type { TensorBoardOptions } from './tensorboard/tensorboard-options.js';
import { TRAINING_DEFAULTS as D } from './training-defaults.js';

/** Reported after every optimizer step. */
export interface TrainStepEvent {
  step: number;
  epoch: number;
  /** Batch index within the epoch (1-based: batches done so far this epoch). */
  batchInEpoch: number;
  batchesPerEpoch: number;
  /** Steps the run will take if nothing stops it early: min(maxSteps, epochs × batchesPerEpoch). For ETAs. */
  totalSteps: number;
  /** Mean masked NLL of this batch (with label smoothing, if any). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  learningRate: number;
  tokens: number;
  tokensPerSecond: number;
  elapsedMs: number;
}

/** Reported after every evaluation on the validation examples. */
export interface EvalEvent extends EvaluationMetrics {
  step: number;
  epoch: number;
  learningRate: number;
  /** This evaluation is the best so far (its checkpoint is `best/`). */
  isBest: boolean;
  bestValidLoss: number;
}

/** Reported after a checkpoint folder was written. */
export interface CheckpointEvent {
  step: number;
  dir: string;
  /** `averaged`: the mean of the last evaluation checkpoints (`averageLast`), written at the end. */
  kind: 'last' | 'best' | 'averaged';
}

/** Progress callbacks; each may return a promise, which training awaits. */
export interface TrainCallbacks {
  onStep?(event: TrainStepEvent): void | Promise<void>;
  onEval?(event: EvalEvent): void | Promise<void>;
  onCheckpoint?(event: CheckpointEvent): void | Promise<void>;
}

/**
 * The scalar options of {@link train}: one optional field per `run` row of
 * `TRAIN_OPTION_TABLE`, whose range, default, task and resume rule are there
 * (`seed`, `batchSize`, `epochs`, `maxSteps`, `maxMinutes`, `clipNorm`,
 * `labelSmoothing`, `scheduledSampling`, `evalEvery`, `evalEveryMinutes`,
 * `averageLast`, `keepEvaluations`, `evalBatchSize`, `logEvery`,
 * `dataParallel`, `carryState`, `bucketChunk`).
 */
export type TrainScalarOptions = TrainOptionFields<'run'>;

/**
 * Options of {@link train}. The scalar ones ({@link TrainScalarOptions}) are
 * described, ranged and defaulted by `TRAIN_OPTION_TABLE`; notes on them:
 * `maxMinutes` and `evalEveryMinutes` count training time over all resumed
 * runs; `evalEvery` / `evalEveryMinutes` (whichever comes due first) replace
 * the end-of-epoch evaluation; `averageLast` (N ≥ 2) and `keepEvaluations`
 * keep evaluation checkpoints in `<outDir>/evals/` and need `outDir`;
 * `logEvery` and `dataParallel` are not saved, so a resumed run may change
 * them; `carryState` (language models; default on for them) carries the
 * recurrent state across consecutive windows as truncated BPTT — batches become
 * `batchSize` parallel streams over the text in order, the state is saved with
 * checkpoints, and it needs dataParallel 1 and no scheduled sampling.
 */
export interface TrainOptions extends TrainCallbacks, TrainScalarOptions {
  /** A ready model; or give `createModel` with `modelConfig` (or with `resumeFrom`). */
  model?: TrainableModel;
  createModel?(config: ModelConfig): TrainableModel;
  modelConfig?: ModelConfig;
  /** Training examples (see encodePairs / lmWindows). */
  train: readonly SequenceExample[];
  /** Validation examples; without them there is no evaluation or early stopping. */
  valid?: readonly SequenceExample[];
  /** Output folder: checkpoints go to `<outDir>/last` and `<outDir>/best`. No checkpoints without it. */
  outDir?: string;
  /**
   * Also write TensorBoard event files to this folder (or `{ dir, examples }`):
   * the scalars of metrics.jsonl, `examples` decoded validation examples per
   * evaluation as text (default 3), and `runOptions` (else the settings) as
   * text. A resumed run adds a file; TensorBoard shows every step once. Needs
   * `outDir`; off when absent.
   */
  tensorboard?: string | TensorBoardOptions;
  /** Replace checkpoints of another run found in `outDir` (default: refuse). */
  overwrite?: boolean;
  /**
   * Continue from a checkpoint: a folder, an outDir whose `last/` is used, or
   * a {@link ResumePoint} already opened (by `openResumePoint` or
   * `resumeWithSavedOptions`), so its files are not read again.
   */
  resumeFrom?: string | ResumePoint;
  /**
   * The options the run was started with, by the caller's own names (the
   * command line keeps its flag names), written to `<outDir>/run.json` with
   * the first checkpoint; `resumeWithSavedOptions` reads them back. Not
   * written when absent.
   */
  runOptions?: Record<string, unknown>;
  /**
   * The optimizer and its settings (default: Adam at its default rate; each
   * optimizer's defaults are in `OPTIMIZER_DEFAULTS`). `optimizerOptionsFrom`
   * builds it from the table's `optimizer` rows.
   */
  optimizer?: OptimizerOptions;
  /** The learning-rate schedule (default: constant). `scheduleOptionsFrom` builds it from the table's `schedule` rows. */
  schedule?: ScheduleOptions;
  /** Stop after this many evaluations without improvement (default: off). */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Saved in every checkpoint (tokenizer.json, source-tokenizer.json). */
  tokenizers?: CheckpointTokenizers;
  /**
   * Default decoding options saved as generation.json (see
   * `generationDefaults`); absent: the decode package's defaults
   * (`DEFAULT_GENERATION`).
   */
  generation?: Record<string, unknown>;
  /** Aborting stops training after the current step and writes a checkpoint. */
  signal?: AbortSignal;
}

/** The options that shape the numbers of a run, as stored in config.json. */
export interface ResolvedTrainSettings {
  seed: number;
  batchSize: number;
  bucketChunk: number;
  epochs: number;
  maxSteps: number | null;
  maxMinutes: number | null;
  optimizer: OptimizerOptions;
  schedule: ScheduleOptions;
  clipNorm: number;
  labelSmoothing: number;
  scheduledSampling: number;
  evalEvery: number | null;
  evalEveryMinutes: number | null;
  earlyStopping: { patience: number; minDelta: number } | null;
  evalBatchSize: number;
  /** null until the model is known: then true for lm, false for seq2seq (see TrainOptions.carryState). */
  carryState: boolean | null;
}

function need(ok: boolean, option: string, expected: string, value: unknown): void {
  if (!ok) throw new TrainingError(`train option ${option} must be ${expected}, got ${JSON.stringify(value)}`);
}

/** Checks every `run` row of `TRAIN_OPTION_TABLE` that `options` sets. */
function checkScalarOptions(options: TrainOptions): void {
  for (const row of TRAIN_OPTION_TABLE) {
    if (row.group === 'run') checkTrainOption(row, options[row.name]);
  }
}

/** The optimizer's peak update must fit float32 weights (see `learningRateProblem`). */
function checkLearningRate(optimizer: OptimizerOptions): void {
  const problem = learningRateProblem(optimizer);
  if (problem) throw new TrainingError(`train option optimizer.learningRate ${optimizer.learningRate}: ${problem}`);
}

/** Fills defaults and validates every numeric option, naming the bad one. */
export function resolveTrainSettings(options: TrainOptions): ResolvedTrainSettings {
  need(Array.isArray(options.train) && options.train.length > 0, 'train', 'a non-empty array of examples', options.train?.length);
  checkScalarOptions(options);
  if (options.averageLast !== undefined && !options.outDir) throw new TrainingError('averageLast needs outDir: the evaluation checkpoints are kept there');
  if (options.keepEvaluations !== undefined && !options.outDir)
    throw new TrainingError('keepEvaluations needs outDir: the evaluation checkpoints are kept there');
  const early = options.earlyStopping;
  need(early === undefined || (Number.isInteger(early.patience) && early.patience >= 0), 'earlyStopping.patience', 'an integer >= 0', early?.patience);
  need(early === undefined || !options.valid || options.valid.length > 0, 'valid', 'non-empty for early stopping', 0);
  if (early && !options.valid) throw new TrainingError('earlyStopping needs validation examples: pass `valid`');
  const optimizer = options.optimizer ?? optimizerOptionsFrom({ optimizer: D.optimizer, learningRate: D.optimizers[D.optimizer].learningRate });
  checkLearningRate(optimizer);
  const batchSize = options.batchSize ?? D.batchSize;
  return {
    seed: options.seed ?? D.seed,
    batchSize,
    bucketChunk: options.bucketChunk ?? D.bucketChunk,
    epochs: options.epochs ?? D.epochs,
    maxSteps: options.maxSteps ?? null,
    maxMinutes: options.maxMinutes ?? null,
    optimizer,
    schedule: options.schedule ?? scheduleOptionsFrom({ schedule: D.schedule.type }),
    clipNorm: options.clipNorm ?? D.clipNorm,
    labelSmoothing: options.labelSmoothing ?? D.labelSmoothing,
    scheduledSampling: options.scheduledSampling ?? D.scheduledSampling,
    evalEvery: options.evalEvery ?? null,
    evalEveryMinutes: options.evalEveryMinutes ?? null,
    earlyStopping: early ? { patience: early.patience, minDelta: early.minDelta ?? 0 } : null,
    evalBatchSize: options.evalBatchSize ?? batchSize,
    carryState: options.carryState ?? null,
  };
}

/**
 * Settles `carryState` once the model is known (default: on for lm) and
 * refuses the combinations it cannot train with.
 */
export function resolveCarryState(settings: ResolvedTrainSettings, task: 'seq2seq' | 'lm', dataParallel: number | undefined): boolean {
  const carry = settings.carryState ?? task === 'lm';
  if (carry && task !== 'lm') throw new TrainingError('train option carryState is for language models (task lm); a seq2seq decoder starts from its encoder');
  if (carry && (dataParallel ?? 1) > 1) {
    throw new TrainingError(
      `train option carryState needs dataParallel 1 (the carried state lives on this thread), got ${dataParallel}; set carryState: false to train lm windows on ${dataParallel} threads`,
    );
  }
  if (carry && settings.scheduledSampling > 0)
    throw new TrainingError('train option carryState cannot be combined with scheduledSampling; set one of them off');
  settings.carryState = carry;
  return carry;
}
