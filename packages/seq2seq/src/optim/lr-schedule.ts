import { TrainingError } from '../training-error.js';
import { createDecayingSchedule, type DecayingScheduleOptions } from './decaying-schedule.js';

/** Learning-rate schedules. */
export type ScheduleOptions =
  | { type: 'constant' }
  | DecayingScheduleOptions
  /** Multiply by `gamma` every `every` optimizer steps (default gamma 0.5). */
  | { type: 'step'; every: number; gamma?: number }
  /**
   * Multiply by `factor` (default 0.5) after `patience` (default 2)
   * evaluations without a validation-loss improvement larger than
   * `threshold` (default 1e-4, relative); never below `minLearningRate` (default 0).
   */
  | { type: 'plateau'; factor?: number; patience?: number; threshold?: number; minLearningRate?: number };

/**
 * Saved state of a schedule: reduce-on-plateau's rate and counters; the
 * decaying schedules keep the last rate they gave (their progress comes from
 * the step and the training time, both saved in the training state).
 */
export interface ScheduleState {
  learningRate: number;
  best: number | null;
  badEvaluations: number;
}

/** A learning-rate schedule whose state can be checkpointed. */
export interface LrSchedule {
  /**
   * The learning rate for the optimizer step about to run: `step` optimizer
   * steps were taken before it (0-based), after `elapsedMs` of training time
   * over all resumed runs (used by schedules whose horizon is in minutes).
   */
  rateAt(step: number, elapsedMs?: number): number;
  /** Reports a validation loss; returns true when the rate was lowered. */
  onEvaluation(validLoss: number): boolean;
  getState(): ScheduleState;
  setState(state: ScheduleState): void;
}

/** Every schedule type, as `--lr-schedule` accepts them. */
export const SCHEDULE_TYPES = ['constant', 'step', 'plateau', 'inverse-sqrt', 'cosine', 'linear'] as const;

function check(ok: boolean, message: string): void {
  if (!ok) throw new TrainingError(`schedule: ${message}`);
}

/** Builds a schedule from options and the optimizer's base learning rate. */
export function createSchedule(options: ScheduleOptions, baseRate: number): LrSchedule {
  let state: ScheduleState = { learningRate: baseRate, best: null, badEvaluations: 0 };
  const stateful = {
    getState: (): ScheduleState => ({ ...state }),
    setState: (saved: ScheduleState): void => {
      state = { ...saved };
    },
  };
  switch (options.type) {
    case 'inverse-sqrt':
    case 'cosine':
    case 'linear': {
      const rate = createDecayingSchedule(options, baseRate);
      return {
        rateAt(step, elapsedMs = 0) {
          const value = rate(step, elapsedMs);
          state = { ...state, learningRate: value };
          return value;
        },
        onEvaluation: () => false,
        ...stateful,
      };
    }
    case 'constant':
      return { rateAt: () => baseRate, onEvaluation: () => false, ...stateful };
    case 'step': {
      const gamma = options.gamma ?? 0.5;
      check(Number.isInteger(options.every) && options.every > 0, `every must be a positive integer, got ${options.every}`);
      check(gamma > 0 && gamma <= 1, `gamma must be in (0, 1], got ${gamma}`);
      return {
        rateAt: (step) => baseRate * gamma ** Math.floor(step / options.every),
        onEvaluation: () => false,
        ...stateful,
      };
    }
    case 'plateau': {
      const factor = options.factor ?? 0.5;
      const patience = options.patience ?? 2;
      const threshold = options.threshold ?? 1e-4;
      const minRate = options.minLearningRate ?? 0;
      check(factor > 0 && factor < 1, `factor must be in (0, 1), got ${factor}`);
      check(Number.isInteger(patience) && patience >= 0, `patience must be a non-negative integer, got ${patience}`);
      check(threshold >= 0, `threshold must be >= 0, got ${threshold}`);
      check(minRate >= 0, `minLearningRate must be >= 0, got ${minRate}`);
      return {
        rateAt: () => state.learningRate,
        onEvaluation(validLoss) {
          if (state.best === null || validLoss < state.best * (1 - threshold)) {
            state = { ...state, best: validLoss, badEvaluations: 0 };
            return false;
          }
          state = { ...state, badEvaluations: state.badEvaluations + 1 };
          if (state.badEvaluations <= patience) return false;
          const lowered = Math.max(minRate, state.learningRate * factor);
          const changed = lowered < state.learningRate;
          state = { ...state, learningRate: lowered, badEvaluations: 0 };
          return changed;
        },
        ...stateful,
      };
    }
    default:
      throw new TrainingError(`unknown schedule type "${String((options as { type?: unknown }).type)}"; use ${SCHEDULE_TYPES.map((t) => `"${t}"`).join(', ')}`);
  }
}
