import type { ScheduleOptions } from '../optim/lr-schedule.js';
import type { OptimizerOptions } from '../optim/optimizer.js';
import { DEFAULT_WARMUP_STEPS, type TrainOptionFields, trainOptionDefault } from './train-option-table.js';

/**
 * Optimizer and schedule settings as one flat record, the way a command line
 * or a config file gives them (`optimizer`, `learningRate`, `momentum`…): the
 * `optimizer` and `schedule` rows of `TRAIN_OPTION_TABLE`, plus the horizon
 * of a decaying schedule. Unset values take the chosen optimizer's own default.
 */
export type FlatOptimizerOptions = TrainOptionFields<'optimizer'> &
  TrainOptionFields<'schedule'> & {
    /** Horizon of cosine and linear decay in optimizer steps… */
    totalSteps?: number;
    /** …or in minutes of training time (give one). */
    totalMinutes?: number;
  };

export { DEFAULT_WARMUP_STEPS };

/** Steps between decays of a step schedule when none is given. */
export const DEFAULT_STEP_SIZE: number = trainOptionDefault('stepSize');

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The optimizer options of a flat record; only the fields of the chosen optimizer are used. */
export function optimizerOptionsFrom(flat: FlatOptimizerOptions): OptimizerOptions {
  const { learningRate, momentum } = flat;
  if (flat.optimizer === 'sgd') return defined({ type: 'sgd', learningRate, momentum, nesterov: flat.nesterov });
  if (flat.optimizer === 'rmsprop') return defined({ type: 'rmsprop', learningRate, momentum, rho: flat.rho });
  return defined({ type: 'adam', learningRate, beta1: flat.beta1, beta2: flat.beta2 });
}

/** The learning-rate schedule of a flat record. */
export function scheduleOptionsFrom(flat: FlatOptimizerOptions): ScheduleOptions {
  if (flat.schedule === 'step') return defined({ type: 'step', every: flat.stepSize ?? DEFAULT_STEP_SIZE, gamma: flat.decay });
  if (flat.schedule === 'plateau') {
    return defined({ type: 'plateau', factor: flat.decay, patience: flat.patience, minLearningRate: flat.minLearningRate });
  }
  if (flat.schedule === 'inverse-sqrt') return { type: 'inverse-sqrt', warmupSteps: flat.warmupSteps ?? DEFAULT_WARMUP_STEPS };
  if (flat.schedule === 'cosine' || flat.schedule === 'linear') {
    const horizon = defined({ totalSteps: flat.totalSteps, totalMinutes: flat.totalMinutes }) as { totalSteps: number } | { totalMinutes: number };
    const common = defined({ warmupSteps: flat.warmupSteps });
    return flat.schedule === 'cosine'
      ? { type: 'cosine', ...common, ...defined({ minLearningRate: flat.minLearningRate }), ...horizon }
      : { type: 'linear', ...common, ...horizon };
  }
  return { type: 'constant' };
}
