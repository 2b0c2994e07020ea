import type { ScheduleOptions } from './lr-schedule.js';
import type { OptimizerOptions } from './optimizer.js';

/**
 * Optimizer and schedule settings as one flat record, the way a command line
 * or a config file gives them (`optimizer`, `learningRate`, `momentum`…).
 * Unset values take the chosen optimizer's own default.
 */
export interface FlatOptimizerOptions {
  optimizer?: OptimizerOptions['type'];
  learningRate?: number;
  /** SGD and RMSProp. */
  momentum?: number;
  /** SGD. */
  nesterov?: boolean;
  /** Adam. */
  beta1?: number;
  beta2?: number;
  /** RMSProp. */
  rho?: number;
  schedule?: ScheduleOptions['type'];
  /** Factor the rate is multiplied by (step: gamma, plateau: factor). */
  decay?: number;
  /** Steps between decays (step schedule). */
  stepSize?: number;
  /** Evaluations without improvement before a decay (plateau). */
  patience?: number;
  /** Lowest rate (plateau). */
  minLearningRate?: number;
}

/** Steps between decays of a step schedule when none is given. */
export const DEFAULT_STEP_SIZE = 1000;

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
  return { type: 'constant' };
}
