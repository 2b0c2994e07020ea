// Part of @seqloom/seq2seq/tooling (tooling.ts): the pieces train() is made of, for a loop of
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
export { DEFAULT_WARMUP_STEPS, optimizerOptionsFrom, scheduleOptionsFrom, type FlatOptimizerOptions } from './options/flat-optimizer-options.js';
export type { StepResult, StepSettings, Stepper } from './optim/stepper.js';
export { clipByGlobalNorm, globalNormScale } from './optim/clip-by-global-norm.js';
export { createSchedule, SCHEDULE_TYPES, type LrSchedule, type ScheduleOptions, type ScheduleState } from './optim/lr-schedule.js';
export { decayProgress, warmupFactor, type DecayingScheduleOptions, type ScheduleHorizon } from './optim/decaying-schedule.js';
export { evaluate, type EvaluateOptions, type EvaluationMetrics } from './train/evaluate.js';
export { CarriedState } from './train/carried-state.js';
export { resolveTrainSettings, type ResolvedTrainSettings, type TrainScalarOptions } from './train/train-options.js';
export { trainStep, type StopReason } from './train/train.js';
export { TRAINING_DEFAULTS } from './train/training-defaults.js';
export {
  OPTIMIZER_TYPES,
  TRAIN_OPTION_TABLE,
  trainOption,
  trainOptionDefault,
  type TrainOptionFields,
  type TrainOptionName,
  type TrainOptionRow,
} from './options/train-option-table.js';
export {
  checkTrainOption,
  expectedText,
  type TrainOptionDefinition,
  type TrainOptionGroup,
  type TrainOptionKind,
  type TrainOptionTask,
  type TrainOptionValue,
} from './options/train-option-definition.js';
export { FLOAT32_MAX, learningRateProblem, updateFactor, type LearningRateSettings } from './optim/learning-rate-bound.js';
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
