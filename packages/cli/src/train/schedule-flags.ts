import type { FlatOptimizerOptions } from '@seqloom/seq2seq/training';
import { UsageError } from '../cli-error.js';
import type { OptionValues } from '../option-spec.js';

const WARMED = new Set(['inverse-sqrt', 'cosine', 'linear']);
const DECAYING = new Set(['cosine', 'linear']);

/** What a decaying schedule decays over: `--lr-decay-over`, or the run's limit that is set. */
function decayOver(o: OptionValues): 'steps' | 'minutes' {
  const schedule = String(o.lrSchedule);
  const chosen = o.lrDecayOver as 'steps' | 'minutes' | undefined;
  if (chosen === 'minutes' && o.maxMinutes === undefined) {
    throw new UsageError(`--lr-decay-over minutes needs --max-minutes: the ${schedule} schedule decays over that time budget`);
  }
  if (chosen) return chosen;
  if (o.maxMinutes !== undefined && o.maxSteps !== undefined) {
    throw new UsageError(
      `--lr-schedule ${schedule} decays over --max-steps or --max-minutes, and both are given; choose one with --lr-decay-over steps|minutes`,
    );
  }
  return o.maxMinutes !== undefined ? 'minutes' : 'steps';
}

/**
 * Checks the schedule flags against each other before any data is read:
 * warmup belongs to the warmup schedules, a decay needs a horizon.
 */
export function checkScheduleFlags(o: OptionValues, given: ReadonlySet<string>): void {
  const schedule = String(o.lrSchedule);
  if (given.has('warmup-steps') && !WARMED.has(schedule)) {
    throw new UsageError(`--warmup-steps applies to --lr-schedule inverse-sqrt, cosine or linear, not ${schedule}`);
  }
  if (schedule === 'inverse-sqrt' && o.warmupSteps !== undefined && (o.warmupSteps as number) < 1) {
    throw new UsageError('--warmup-steps must be at least 1 for --lr-schedule inverse-sqrt (the rate peaks after the warmup)');
  }
  if (given.has('lr-decay-over') && !DECAYING.has(schedule)) {
    throw new UsageError(`--lr-decay-over applies to --lr-schedule cosine or linear, not ${schedule}`);
  }
  if (DECAYING.has(schedule)) decayOver(o);
}

/**
 * The horizon of a cosine or linear schedule: the run's steps (the fewer of
 * --max-steps and --epochs × batches per epoch) or its --max-minutes.
 */
export function scheduleHorizon(o: OptionValues, batchesPerEpoch: number): Pick<FlatOptimizerOptions, 'totalSteps' | 'totalMinutes'> {
  if (!DECAYING.has(String(o.lrSchedule))) return {};
  if (decayOver(o) === 'minutes') return { totalMinutes: o.maxMinutes as number };
  const epochSteps = batchesPerEpoch * (o.epochs as number);
  const totalSteps = o.maxSteps !== undefined ? Math.min(o.maxSteps as number, epochSteps) : epochSteps;
  const warmup = (o.warmupSteps as number | undefined) ?? 0;
  if (warmup >= totalSteps) {
    throw new UsageError(`--warmup-steps ${warmup} leaves no steps to decay over: the run has ${totalSteps} steps (--max-steps, --epochs); lower --warmup-steps`);
  }
  return { totalSteps };
}
