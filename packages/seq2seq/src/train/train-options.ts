import type { SequenceExample } from '../data/sequence-example.js';
import type { ModelConfig, TrainableModel } from '../model-contract.js';
import type { ResumePoint } from '../checkpoint/resume.js';
import type { CheckpointTokenizers } from '../checkpoint/tokenizer-files.js';
import type { EvaluationMetrics } from './evaluate.js';
import type { ScheduleOptions } from '../optim/lr-schedule.js';
import type { OptimizerOptions } from '../optim/optimizer.js';
import { TrainingError } from '../training-error.js';
import { TRAINING_DEFAULTS as D } from './training-defaults.js';
import type { TensorBoardOptions } from './tensorboard/tensorboard-options.js';

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

/** Options of {@link train}. Defaults are in brackets (all in `TRAINING_DEFAULTS`). */
export interface TrainOptions extends TrainCallbacks {
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
   * Steps between the training records of `<outDir>/metrics.jsonl` (mean
   * loss, gradient norm, tokens/s since the last record) [10]. Not saved: a
   * resumed run may log at another interval.
   */
  logEvery?: number;
  /**
   * Also write TensorBoard event files to this folder (or `{ dir, examples }`):
   * the scalars of metrics.jsonl, `examples` decoded validation examples per
   * evaluation as text [3], and `runOptions` (else the settings) as text. A
   * resumed run adds a file; TensorBoard shows every step once. Needs `outDir` [off].
   */
  tensorboard?: string | TensorBoardOptions;
  /** Replace checkpoints of another run found in `outDir` [false: refuse]. */
  overwrite?: boolean;
  /**
   * Continue from a checkpoint: a folder, an outDir whose `last/` is used, or
   * a {@link ResumePoint} already opened (by `openResumePoint` or
   * `resumeWithSavedOptions`), so its files are not read again.
   */
  resumeFrom?: string | ResumePoint;
  /**
   * The options the run was started with, by the caller's names, written to
   * `<outDir>/run.json` with the first checkpoint; `resumeWithSavedOptions`
   * reads them back [not written].
   */
  runOptions?: Record<string, unknown>;
  /** [42] */
  seed?: number;
  /** [32] */
  batchSize?: number;
  /** Sort-by-length chunk, in batches [16]. */
  bucketChunk?: number;
  /** [10] */
  epochs?: number;
  /** Stop after this many optimizer steps in total [no limit]. */
  maxSteps?: number;
  /** Stop after this much training time, over all resumed runs [no limit]. */
  maxMinutes?: number;
  /** [{ type: 'adam', learningRate: 1e-3 }]; each optimizer's defaults are in `OPTIMIZER_DEFAULTS`. */
  optimizer?: OptimizerOptions;
  /** [{ type: 'constant' }] */
  schedule?: ScheduleOptions;
  /** Clip gradients to this global L2 norm; 0 disables [5]. */
  clipNorm?: number;
  /** [0] */
  labelSmoothing?: number;
  /** Probability of feeding the model its own prediction [0]. */
  scheduledSampling?: number;
  /** Evaluate (and checkpoint) every N steps [at the end of every epoch, unless evalEveryMinutes is given]. */
  evalEvery?: number;
  /**
   * Evaluate (and checkpoint) on a clock: at every multiple of this many
   * minutes of training time (over all resumed runs, the clock of
   * `maxMinutes`) [off]. With `evalEvery` too, whichever comes due first;
   * either turns off the end-of-epoch evaluation.
   */
  evalEveryMinutes?: number;
  /**
   * Keep the checkpoints of the last N evaluations (`<outDir>/evals/step-<step>`,
   * weights without optimizer state) and, when training ends (not when aborted),
   * write the mean of their weights to `<outDir>/averaged` [off]. N ≥ 2; needs `outDir`.
   */
  averageLast?: number;
  /**
   * Keep the checkpoints of the last K evaluations in `<outDir>/evals/`
   * (at least `averageLast` are kept when it is set), e.g. to score each
   * point of the learning curve afterwards [0, or averageLast].
   */
  keepEvaluations?: number;
  /** Stop after this many evaluations without improvement [off]. */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Batch size for evaluation [batchSize]. */
  evalBatchSize?: number;
  /** Saved in every checkpoint (tokenizer.json, source-tokenizer.json). */
  tokenizers?: CheckpointTokenizers;
  /** Default decoding options saved as generation.json. */
  generation?: Record<string, unknown>;
  /** Aborting stops training after the current step and writes a checkpoint. */
  signal?: AbortSignal;
  /**
   * Data parallelism: threads computing each step's gradients, 1–16 [1].
   * Above 1, a TrainingPool shares every batch's rows among worker threads
   * holding copies of the model (a Seq2SeqModel). Not saved: a run may resume
   * with another count (dropout and scheduled sampling then draw differently).
   */
  dataParallel?: number;
  /**
   * Language models: carry the recurrent state across consecutive windows
   * (truncated back-propagation through time, as char-rnn trains). Batches
   * become `batchSize` parallel streams over the text in text order (no
   * shuffling; see `planStreams`), and the final state of each window,
   * detached from the gradient, is the initial state of the same stream's next
   * window; every epoch starts from zeros. Validation reads its windows the same
   * way. Saved in checkpoints with the carried state, so a resumed run continues
   * exactly. [true for lm models: a window's first tokens are predicted with
   * the text before them, and the model can learn dependencies longer than a
   * window; seq2seq: not applicable]. Needs dataParallel 1 and no scheduled sampling.
   */
  carryState?: boolean;
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

const isCount = (v: number | undefined): boolean => v === undefined || (Number.isInteger(v) && v > 0);

/** Fills defaults and validates every numeric option, naming the bad one. */
export function resolveTrainSettings(options: TrainOptions): ResolvedTrainSettings {
  need(Array.isArray(options.train) && options.train.length > 0, 'train', 'a non-empty array of examples', options.train?.length);
  need(options.seed === undefined || Number.isInteger(options.seed), 'seed', 'an integer', options.seed);
  for (const key of ['batchSize', 'bucketChunk', 'epochs', 'maxSteps', 'evalEvery', 'evalBatchSize', 'logEvery'] as const) {
    need(isCount(options[key]), key, 'a positive integer', options[key]);
  }
  for (const key of ['maxMinutes', 'evalEveryMinutes'] as const) {
    const v = options[key];
    need(v === undefined || (typeof v === 'number' && v > 0 && Number.isFinite(v)), key, 'a positive number', v);
  }
  need(options.clipNorm === undefined || options.clipNorm >= 0, 'clipNorm', 'a number >= 0', options.clipNorm);
  for (const key of ['labelSmoothing', 'scheduledSampling'] as const) {
    const v = options[key];
    need(v === undefined || (v >= 0 && v < 1), key, 'in [0, 1)', v);
  }
  need(options.carryState === undefined || typeof options.carryState === 'boolean', 'carryState', 'true or false', options.carryState);
  const avg = options.averageLast;
  need(avg === undefined || (Number.isInteger(avg) && avg >= 2), 'averageLast', 'an integer >= 2 (checkpoints to average)', avg);
  if (avg !== undefined && !options.outDir) throw new TrainingError('averageLast needs outDir: the evaluation checkpoints are kept there');
  const keep = options.keepEvaluations;
  need(keep === undefined || (Number.isInteger(keep) && keep >= 1), 'keepEvaluations', 'a positive integer', keep);
  if (keep !== undefined && !options.outDir) throw new TrainingError('keepEvaluations needs outDir: the evaluation checkpoints are kept there');
  const parallel = options.dataParallel;
  need(parallel === undefined || (Number.isInteger(parallel) && parallel >= 1 && parallel <= 16), 'dataParallel', 'an integer from 1 to 16', parallel);
  const early = options.earlyStopping;
  need(early === undefined || (Number.isInteger(early.patience) && early.patience >= 0), 'earlyStopping.patience', 'an integer >= 0', early?.patience);
  need(early === undefined || !options.valid || options.valid.length > 0, 'valid', 'non-empty for early stopping', 0);
  if (early && !options.valid) throw new TrainingError('earlyStopping needs validation examples: pass `valid`');
  const batchSize = options.batchSize ?? D.batchSize;
  return {
    seed: options.seed ?? D.seed,
    batchSize,
    bucketChunk: options.bucketChunk ?? D.bucketChunk,
    epochs: options.epochs ?? D.epochs,
    maxSteps: options.maxSteps ?? null,
    maxMinutes: options.maxMinutes ?? null,
    optimizer: options.optimizer ?? { type: D.optimizer, learningRate: D.optimizers[D.optimizer].learningRate },
    schedule: options.schedule ?? { type: D.schedule.type },
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
    throw new TrainingError(`train option carryState needs dataParallel 1 (the carried state lives on this thread), got ${dataParallel}; set carryState: false to train lm windows on ${dataParallel} threads`);
  }
  if (carry && settings.scheduledSampling > 0) throw new TrainingError('train option carryState cannot be combined with scheduledSampling; set one of them off');
  settings.carryState = carry;
  return carry;
}
