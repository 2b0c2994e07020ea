// @seqloom/seq2seq/training: the pieces train() is made of, for a loop of
// one's own: optimizers, schedules, clipping, one step, evaluation, settings,
// defaults and resuming with saved options.
export { type OptionNames } from './training-error.js';
export {
  OPTIMIZER_DEFAULTS,
  resolveOptimizerOptions,
  type AdamOptions,
  type Optimizer,
  type OptimizerOptions,
  type OptimizerState,
  type RmsPropOptions,
  type SgdOptions,
} from './optim/optimizer.js';
export { createOptimizer } from './optim/create-optimizer.js';
export { DEFAULT_WARMUP_STEPS, optimizerOptionsFrom, scheduleOptionsFrom, type FlatOptimizerOptions } from './optim/flat-optimizer-options.js';
export type { StepResult, StepSettings, Stepper } from './optim/stepper.js';
export { clipByGlobalNorm, globalNormScale } from './optim/clip-by-global-norm.js';
export { createSchedule, SCHEDULE_TYPES, type LrSchedule, type ScheduleOptions, type ScheduleState } from './optim/lr-schedule.js';
export { decayProgress, warmupFactor, type DecayingScheduleOptions, type ScheduleHorizon } from './optim/decaying-schedule.js';
export { evaluate, type EvaluateOptions, type EvaluationMetrics } from './train/evaluate.js';
export { CarriedState } from './train/carried-state.js';
export { resolveTrainSettings, type ResolvedTrainSettings } from './train/train-options.js';
export { trainStep, type StopReason } from './train/train.js';
export { TRAINING_DEFAULTS } from './train/training-defaults.js';
export { generationDefaults } from './train/generation-defaults.js';
export { ResumeOptionError, resumeWithSavedOptions, type SavedRunOptions } from './train/saved-options.js';
export {
  DEFAULT_LOG_EVERY,
  METRICS_FILE,
  MetricsLog,
  readMetricsLog,
  type EvalMetricsRecord,
  type MetricsRecord,
  type TrainMetricsRecord,
} from './train/metrics-log.js';
