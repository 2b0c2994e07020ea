// Only import-free modules here: the command line loads this file for its help without TensorFlow.js.
import { OPTIMIZER_DEFAULTS } from '../optim/optimizer-defaults.js';
import { DEFAULT_WARMUP_STEPS, trainOptionDefault as d } from '../options/train-option-table.js';

/**
 * The defaults of {@link train}, read from `TRAIN_OPTION_TABLE` (each
 * optimizer's own defaults are `OPTIMIZER_DEFAULTS`): the library applies
 * them and the command line shows them in its help.
 */
export const TRAINING_DEFAULTS = Object.freeze({
  seed: d('seed'),
  batchSize: d('batchSize'),
  /** Sort-by-length chunk, in batches. */
  bucketChunk: d('bucketChunk'),
  epochs: d('epochs'),
  /** Clip gradients to this global L2 norm (0 disables). */
  clipNorm: d('clipNorm'),
  labelSmoothing: d('labelSmoothing'),
  scheduledSampling: d('scheduledSampling'),
  dataParallel: d('dataParallel'),
  /** Steps between the training records of metrics.jsonl. */
  logEvery: d('logEvery'),
  optimizer: d('optimizer'),
  optimizers: OPTIMIZER_DEFAULTS,
  schedule: Object.freeze({
    type: d('schedule'),
    decay: d('decay'),
    stepSize: d('stepSize'),
    patience: d('patience'),
    minLearningRate: d('minLearningRate'),
    warmupSteps: DEFAULT_WARMUP_STEPS,
  }),
});

export { DATA_DEFAULTS } from '../data/data-defaults.js';
export { FLOAT32_MAX, type LearningRateSettings, learningRateProblem, updateFactor } from '../optim/learning-rate-bound.js';
export { SCHEDULE_TYPES } from '../optim/lr-schedule.js';
export {
  checkTrainOption,
  expectedText,
  type TrainOptionDefinition,
  type TrainOptionGroup,
  type TrainOptionKind,
  type TrainOptionTask,
  type TrainOptionValue,
} from '../options/train-option-definition.js';
export {
  DEFAULT_WARMUP_STEPS,
  OPTIMIZER_TYPES,
  TRAIN_OPTION_TABLE,
  type TrainOptionFields,
  type TrainOptionName,
  type TrainOptionRow,
  trainOption,
  trainOptionDefault,
} from '../options/train-option-table.js';
