import type { TrainingData, TrainOptions } from '@seqloom/seq2seq';
import { type FlatOptimizerOptions, generationDefaults, optimizerOptionsFrom, scheduleOptionsFrom, type TrainScalarOptions } from '@seqloom/seq2seq/tooling';
import { TRAINING_DEFAULTS as D, learningRateProblem } from '@seqloom/seq2seq/tooling/defaults';
import { UsageError } from '../cli-error.js';
import { camelCase, type OptionValues } from '../option-spec.js';
import { TRAIN_FLAGS, type TrainFlag } from '../options/training-options.js';
import { flagValue } from './flag-values.js';
import { checkScheduleFlags, type ScheduleFlagValues, scheduleHorizon } from './schedule-flags.js';

/**
 * The training flags as library options, by `TRAIN_OPTION_TABLE`: each flag
 * that is set (given, from the config file or run.json, or defaulted) goes
 * to its row's field — a `TrainOptions` field (`run` rows) or a field of the
 * flat optimizer record (`optimizer` and `schedule` rows).
 */
export function trainFlagValues(o: OptionValues, flags: readonly TrainFlag[] = TRAIN_FLAGS): ScheduleFlagValues {
  const run: Record<string, unknown> = {};
  const flat: Record<string, unknown> = {};
  for (const { spec, row } of flags) {
    const value = o[camelCase(spec.name)];
    if (value !== undefined) (row.group === 'run' ? run : flat)[row.name] = value;
  }
  const decayOver = flagValue.text(o, 'lrDecayOver');
  // every value was checked against its row's range and kind by the flag's spec
  return { run: run as TrainScalarOptions, flat: flat as FlatOptimizerOptions, ...(decayOver === 'steps' || decayOver === 'minutes' ? { decayOver } : {}) };
}

/**
 * Refuses, before anything is read, flag values the library would refuse
 * only once training runs: schedule flags that do not fit together, and a
 * learning rate whose peak update (`--lr` times the optimizer's factor; every
 * schedule peaks at `--lr`) cannot be trained in float32 weights.
 */
export function checkTrainFlags(values: ScheduleFlagValues, given: ReadonlySet<string>): void {
  checkScheduleFlags(values, given);
  const { flat } = values;
  const problem = learningRateProblem({ ...flat, type: flat.optimizer ?? D.optimizer });
  if (problem) throw new UsageError(`--lr ${flat.learningRate}: ${problem}`);
}

/** `seqloom train` options as options of the library's `train()` (model, callbacks and output aside). */
export function trainSettings(values: ScheduleFlagValues, o: OptionValues, data: TrainingData): Partial<TrainOptions> {
  const { run, flat } = values;
  const hasValid = data.valid.length > 0;
  const patience = flagValue.number(o, 'patience') ?? 0;
  const batchesPerEpoch = Math.ceil(data.train.length / (run.batchSize ?? D.batchSize));
  return {
    ...run,
    train: data.train,
    ...(hasValid ? { valid: data.valid } : {}),
    optimizer: optimizerOptionsFrom(flat),
    schedule: scheduleOptionsFrom({ ...flat, ...scheduleHorizon(values, batchesPerEpoch) }),
    ...(patience > 0 && hasValid ? { earlyStopping: { patience } } : {}),
    tokenizers: { target: data.targetTokenizer, ...(data.sourceTokenizer !== data.targetTokenizer ? { source: data.sourceTokenizer } : {}) },
    generation: generationDefaults(data.task, data.train),
  };
}
