// Only import-free modules here: the command line loads this file for its help without TensorFlow.js.
import { OPTIMIZER_DEFAULTS } from '../optim/optimizer-defaults.js';
import { DEFAULT_STEP_SIZE, DEFAULT_WARMUP_STEPS } from '../optim/flat-optimizer-options.js';

/**
 * The defaults of {@link train}, in one place: the library applies them and
 * the command line shows them in its help (and uses the same values).
 */
export const TRAINING_DEFAULTS = Object.freeze({
  seed: 42,
  batchSize: 32,
  /** Sort-by-length chunk, in batches. */
  bucketChunk: 16,
  epochs: 10,
  /** Clip gradients to this global L2 norm (0 disables). */
  clipNorm: 5,
  labelSmoothing: 0,
  scheduledSampling: 0,
  dataParallel: 1,
  /** Steps between the training records of metrics.jsonl. */
  logEvery: 10,
  optimizer: 'adam' as const,
  optimizers: OPTIMIZER_DEFAULTS,
  schedule: Object.freeze({ type: 'constant' as const, decay: 0.5, stepSize: DEFAULT_STEP_SIZE, patience: 2, minLearningRate: 0, warmupSteps: DEFAULT_WARMUP_STEPS }),
});
