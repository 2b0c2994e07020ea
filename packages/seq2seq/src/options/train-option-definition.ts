// Only import-free modules here: the command line reads the table for its help without TensorFlow.js.
import { TrainingError } from '../training-error.js';

/** The value kinds of training options. */
export type TrainOptionKind = 'integer' | 'number' | 'choice' | 'boolean';

/**
 * Where a training option is set: a field of `TrainOptions` of its own
 * (`run`), or a field of the flat optimizer record (`FlatOptimizerOptions`)
 * that becomes `TrainOptions.optimizer` (`optimizer`) or `TrainOptions.schedule`
 * (`schedule`).
 */
export type TrainOptionGroup = 'run' | 'optimizer' | 'schedule';

/** The tasks an option applies to. */
export type TrainOptionTask = 'seq2seq' | 'lm' | 'both';

/**
 * One training option: a row of `TRAIN_OPTION_TABLE`. The library validates
 * and defaults it from this row, `TrainOptions` and `FlatOptimizerOptions`
 * take their fields from the rows, and the command line builds its flag
 * (name, range, default, help) from it.
 */
export interface TrainOptionDefinition<N extends string = string, T = unknown, G extends TrainOptionGroup = TrainOptionGroup> {
  /** The library's name (a field of `TrainOptions` or `FlatOptimizerOptions`). */
  readonly name: N;
  readonly kind: TrainOptionKind;
  /** One line for help texts. */
  readonly doc: string;
  readonly group: G;
  /** Lower bound of a number or integer (inclusive unless `minExclusive`). */
  readonly min?: number;
  readonly minExclusive?: boolean;
  /** Upper bound of a number or integer (inclusive unless `maxExclusive`). */
  readonly max?: number;
  readonly maxExclusive?: boolean;
  /** The accepted values of a choice. */
  readonly choices?: readonly string[];
  /** The value used when the option is absent. */
  readonly default?: T;
  /** The default in words when there is no single value (`no limit`, `off`, …). */
  readonly defaultText?: string;
  readonly task: TrainOptionTask;
  /**
   * A resumed run must keep the value the checkpoint was trained with (it
   * fixes the batches, the saved data position or the optimizer state).
   */
  readonly fixedOnResume: boolean;
  /** Replaces the range in messages (e.g. `an integer >= 2 (checkpoints to average)`). */
  readonly expected?: string;
}

type KindValue<K extends TrainOptionKind, C extends string> = K extends 'boolean' ? boolean : K extends 'choice' ? C : number;

/** A row whose value type follows from its kind (and its choices). */
export function defineTrainOption<const N extends string, const K extends TrainOptionKind, const G extends TrainOptionGroup, const C extends string = never>(
  row: Omit<TrainOptionDefinition<N, KindValue<K, C>, G>, 'kind' | 'choices'> & { readonly kind: K; readonly choices?: readonly C[] },
): TrainOptionDefinition<N, KindValue<K, C>, G> {
  return row;
}

/** The value type of a row. */
export type TrainOptionValue<R> = R extends TrainOptionDefinition<string, infer T> ? T : never;

/** The range of a row in words: `in [0, 1)`, `a positive integer`, `an integer from 1 to 16`, `a number >= 0`. */
export function expectedText(row: TrainOptionDefinition): string {
  if (row.expected !== undefined) return row.expected;
  if (row.kind === 'boolean') return 'true or false';
  if (row.kind === 'choice') return `one of ${(row.choices ?? []).map((c) => JSON.stringify(c)).join(', ')}`;
  const what = row.kind === 'integer' ? 'integer' : 'number';
  const { min, max, minExclusive = false, maxExclusive = false } = row;
  if (min !== undefined && max !== undefined) {
    if (row.kind === 'integer' && !minExclusive && !maxExclusive) return `an integer from ${min} to ${max}`;
    return `${what === 'integer' ? 'an integer ' : ''}in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
  }
  if (min === 0 && minExclusive) return `a positive ${what}`;
  if (min === 1 && !minExclusive && row.kind === 'integer') return 'a positive integer';
  if (min !== undefined) return `a${what === 'integer' ? 'n' : ''} ${what} ${minExclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return `a${what === 'integer' ? 'n' : ''} ${what} ${maxExclusive ? '<' : '<='} ${max}`;
  return what === 'integer' ? 'an integer' : 'a finite number';
}

/** Whether `value` is a valid value of `row` (absent values are checked by the caller). */
export function fitsRow(row: TrainOptionDefinition, value: unknown): boolean {
  if (row.kind === 'boolean') return typeof value === 'boolean';
  if (row.kind === 'choice') return typeof value === 'string' && (row.choices ?? []).includes(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (row.kind === 'integer' && !Number.isSafeInteger(value)) return false;
  const { min, max, minExclusive, maxExclusive } = row;
  if (min !== undefined && (minExclusive ? value <= min : value < min)) return false;
  return max === undefined || (maxExclusive ? value < max : value <= max);
}

/**
 * Accepts `value` when it is absent or valid for `row`; otherwise throws a
 * TrainingError naming the option (as `prefix` + its name), the expected
 * form and the value given.
 */
export function checkTrainOption(row: TrainOptionDefinition, value: unknown, prefix = 'train option '): void {
  if (value === undefined || fitsRow(row, value)) return;
  throw new TrainingError(`${prefix}${row.name} must be ${expectedText(row)}, got ${JSON.stringify(value) ?? String(value)}`, { option: row.name });
}
