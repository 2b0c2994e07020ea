import type { FlatOptimizerOptions, TrainScalarOptions } from '@seqloom/seq2seq/tooling';
import { TRAINING_DEFAULTS as D } from '@seqloom/seq2seq/tooling/defaults';
import { UsageError } from '../cli-error.js';

const WARMED = new Set(['inverse-sqrt', 'cosine', 'linear']);
const DECAYING = new Set(['cosine', 'linear']);

/** The schedule flags and the run limits a decaying schedule's horizon comes from. */
export interface ScheduleFlagValues {
  flat: FlatOptimizerOptions;
  run: TrainScalarOptions;
  /** `--lr-decay-over`, when given. */
  decayOver?: 'steps' | 'minutes';
}

const scheduleOf = (v: ScheduleFlagValues): string => v.flat.schedule ?? D.schedule.type;

/** What a decaying schedule decays over: `--lr-decay-over`, or the run's limit that is set. */
function decayOver(v: ScheduleFlagValues): 'steps' | 'minutes' {
  const schedule = scheduleOf(v);
  const { maxMinutes, maxSteps } = v.run;
  if (v.decayOver === 'minutes' && maxMinutes === undefined) {
    throw new UsageError(`--lr-decay-over minutes needs --max-minutes: the ${schedule} schedule decays over that time budget`);
  }
  if (v.decayOver) return v.decayOver;
  if (maxMinutes !== undefined && maxSteps !== undefined) {
    throw new UsageError(
      `--lr-schedule ${schedule} decays over --max-steps or --max-minutes, and both are given; choose one with --lr-decay-over steps|minutes`,
    );
  }
  return maxMinutes !== undefined ? 'minutes' : 'steps';
}

/**
 * Checks the schedule flags against each other before any data is read:
 * warmup belongs to the warmup schedules, a decay needs a horizon.
 */
export function checkScheduleFlags(v: ScheduleFlagValues, given: ReadonlySet<string>): void {
  const schedule = scheduleOf(v);
  if (given.has('warmup-steps') && !WARMED.has(schedule)) {
    throw new UsageError(`--warmup-steps applies to --lr-schedule inverse-sqrt, cosine or linear, not ${schedule}`);
  }
  if (schedule === 'inverse-sqrt' && v.flat.warmupSteps !== undefined && v.flat.warmupSteps < 1) {
    throw new UsageError('--warmup-steps must be at least 1 for --lr-schedule inverse-sqrt (the rate peaks after the warmup)');
  }
  if (given.has('lr-decay-over') && !DECAYING.has(schedule)) {
    throw new UsageError(`--lr-decay-over applies to --lr-schedule cosine or linear, not ${schedule}`);
  }
  if (DECAYING.has(schedule)) decayOver(v);
}

/**
 * The horizon of a cosine or linear schedule: the run's steps (the fewer of
 * --max-steps and --epochs × batches per epoch) or its --max-minutes.
 */
export function scheduleHorizon(v: ScheduleFlagValues, batchesPerEpoch: number): Pick<FlatOptimizerOptions, 'totalSteps' | 'totalMinutes'> {
  if (!DECAYING.has(scheduleOf(v))) return {};
  const { maxMinutes, maxSteps, epochs = D.epochs } = v.run;
  if (decayOver(v) === 'minutes' && maxMinutes !== undefined) return { totalMinutes: maxMinutes };
  const epochSteps = batchesPerEpoch * epochs;
  const totalSteps = maxSteps !== undefined ? Math.min(maxSteps, epochSteps) : epochSteps;
  const warmup = v.flat.warmupSteps ?? 0;
  if (warmup >= totalSteps) {
    throw new UsageError(
      `--warmup-steps ${warmup} leaves no steps to decay over: the run has ${totalSteps} steps (--max-steps, --epochs); lower --warmup-steps`,
    );
  }
  return { totalSteps };
}
