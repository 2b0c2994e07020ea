import { TrainingError } from '../training-error.js';

/**
 * How far a decaying schedule runs: over `totalSteps` optimizer steps, or over
 * `totalMinutes` of training time (counted over all resumed runs, the clock
 * `maxMinutes` stops on), so a run limited by minutes decays to its end.
 */
export type ScheduleHorizon = { totalSteps: number; totalMinutes?: undefined } | { totalMinutes: number; totalSteps?: undefined };

/** Schedules with a warmup and a decay (all stateless: the rate follows from the step and the training time). */
export type DecayingScheduleOptions =
  /** Linear warmup over `warmupSteps`, then `rate · sqrt(warmupSteps / step)` (the Transformer schedule). */
  | { type: 'inverse-sqrt'; warmupSteps: number }
  /** Optional linear warmup, then half a cosine from the rate down to `minLearningRate` (default 0) at the horizon. */
  | ({ type: 'cosine'; warmupSteps?: number; minLearningRate?: number } & ScheduleHorizon)
  /** Optional linear warmup, then a straight line from the rate down to 0 at the horizon. */
  | ({ type: 'linear'; warmupSteps?: number } & ScheduleHorizon);

function check(ok: boolean, message: string): void {
  if (!ok) throw new TrainingError(`schedule: ${message}`);
}

/** `(step + 1) / warmupSteps` during the warmup, then 1. */
export function warmupFactor(step: number, warmupSteps: number): number {
  return warmupSteps > 0 && step < warmupSteps ? (step + 1) / warmupSteps : 1;
}

/**
 * Progress through the decay in [0, 1]. Over steps it starts after the
 * warmup: `(step − warmup) / (totalSteps − warmup)`. Over minutes it is the
 * share of the time budget used: `elapsedMs / (totalMinutes · 60 000)`.
 */
export function decayProgress(horizon: ScheduleHorizon, warmupSteps: number, step: number, elapsedMs: number): number {
  const p = horizon.totalSteps !== undefined ? (step - warmupSteps) / (horizon.totalSteps - warmupSteps) : elapsedMs / (horizon.totalMinutes * 60_000);
  return Math.min(1, Math.max(0, p));
}

function checkHorizon(options: ScheduleHorizon & { type: string }, warmupSteps: number): void {
  const { totalSteps, totalMinutes } = options;
  check(
    (totalSteps === undefined) !== (totalMinutes === undefined),
    `${options.type} needs its horizon: totalSteps (optimizer steps) or totalMinutes (training time), exactly one`,
  );
  if (totalSteps !== undefined) {
    check(Number.isInteger(totalSteps) && totalSteps > 0, `totalSteps must be a positive integer, got ${totalSteps}`);
    check(warmupSteps < totalSteps, `warmupSteps (${warmupSteps}) must be below totalSteps (${totalSteps})`);
  } else {
    check(typeof totalMinutes === 'number' && totalMinutes > 0, `totalMinutes must be a positive number, got ${totalMinutes}`);
  }
}

/** The rate function of a decaying schedule: `(step, elapsedMs) → learning rate`. Validates the options. */
export function createDecayingSchedule(options: DecayingScheduleOptions, baseRate: number): (step: number, elapsedMs: number) => number {
  const warmup = options.warmupSteps ?? 0;
  check(Number.isInteger(warmup) && warmup >= 0, `warmupSteps must be a non-negative integer, got ${options.warmupSteps}`);
  if (options.type === 'inverse-sqrt') {
    check(warmup > 0, `inverse-sqrt needs warmupSteps >= 1, got ${warmup}`);
    return (step) => baseRate * Math.min((step + 1) / warmup, Math.sqrt(warmup / (step + 1)));
  }
  checkHorizon(options, warmup);
  if (options.type === 'cosine') {
    const minRate = options.minLearningRate ?? 0;
    check(minRate >= 0 && minRate <= baseRate, `minLearningRate must be in [0, ${baseRate}] (the learning rate), got ${minRate}`);
    return (step, elapsedMs) => {
      const p = decayProgress(options, warmup, step, elapsedMs);
      // written from the top so that the peak is exactly the base rate
      return warmupFactor(step, warmup) * (baseRate - (baseRate - minRate) * 0.5 * (1 - Math.cos(Math.PI * p)));
    };
  }
  return (step, elapsedMs) => warmupFactor(step, warmup) * baseRate * (1 - decayProgress(options, warmup, step, elapsedMs));
}
