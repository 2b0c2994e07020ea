import { checkInteger, checkNumber, checkTokenIds, DecodeOptionError, describe } from './errors.js';

/** The value kinds of decoding options. */
export type OptionValueKind = 'integer' | 'number' | 'choice' | 'token-ids' | 'token-sequences' | 'functions' | 'object';

/**
 * What values an option accepts: a description a command line or a form can
 * be built from (kind, range, choices) and the check that enforces it.
 */
export interface OptionValue<T> {
  readonly kind: OptionValueKind;
  /** Lower bound (inclusive unless `minExclusive`), for integers and numbers. */
  readonly min?: number;
  readonly minExclusive?: boolean;
  /** Upper bound (inclusive unless `maxExclusive`), for integers and numbers. */
  readonly max?: number;
  readonly maxExclusive?: boolean;
  /** The accepted values of a choice. */
  readonly choices?: readonly string[];
  /** Whether a value can be stored as JSON (e.g. in a model's generation.json). */
  readonly json: boolean;
  /** Returns `value` when it is valid; otherwise throws a DecodeOptionError naming `option`. */
  check(option: string, value: unknown, vocabSize?: number): T;
}

/** An integer ≥ `min` (and ≤ `max` when given); `expected` replaces the range in messages. */
export function integer(range: { min: number; max?: number; expected?: string }): OptionValue<number> {
  const { min, max, expected } = range;
  return {
    kind: 'integer',
    min,
    max,
    json: true,
    check(option, value) {
      if (expected === undefined) return checkInteger(option, value, min, max);
      const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= (max ?? Number.MAX_SAFE_INTEGER);
      if (!ok) throw new DecodeOptionError(option, `expected ${expected}, got ${describe(value)}`);
      return value;
    },
  };
}

/** Bounds of a finite number, the unit it is in, and a note on special values, for messages. */
export interface NumberRange {
  min?: number;
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
  /** e.g. `milliseconds`: "a finite number of milliseconds > 0". */
  unit?: string;
  /** e.g. `1 = no penalty`, shown in parentheses after the range. */
  note?: string;
}

/** A finite number within `range`. */
export function number(range: NumberRange): OptionValue<number> {
  const { min, minExclusive = false, max, maxExclusive = false } = range;
  const expected = numberText(range);
  const ok = (v: number): boolean => (min === undefined || (minExclusive ? v > min : v >= min)) && (max === undefined || (maxExclusive ? v < max : v <= max));
  return {
    kind: 'number',
    min,
    minExclusive,
    max,
    maxExclusive,
    json: true,
    check: (option, value) => checkNumber(option, value, ok, expected),
  };
}

/** "a number in (0, 1]", "a finite number ≥ 0 (0 = greedy)", … */
function numberText({ min, minExclusive, max, maxExclusive, unit, note }: NumberRange): string {
  const what = unit ? `a finite number of ${unit}` : 'a finite number';
  let text: string;
  if (min !== undefined && max !== undefined) {
    text = `a number${unit ? ` of ${unit}` : ''} in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
  } else if (min !== undefined) text = `${what} ${minExclusive ? '>' : '≥'} ${min}`;
  else if (max !== undefined) text = `${what} ${maxExclusive ? '<' : '≤'} ${max}`;
  else text = what;
  return note ? `${text} (${note})` : text;
}

/** One of `choices`. */
export function choice<C extends string>(choices: readonly C[]): OptionValue<C> {
  const listed = choices.map((c) => `'${c}'`);
  const text = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} or ${listed[listed.length - 1]}` : listed.join('');
  return {
    kind: 'choice',
    choices,
    json: true,
    check(option, value) {
      if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
        throw new DecodeOptionError(option, `expected ${text}, got ${describe(value)}`);
      }
      return value as C;
    },
  };
}

/** An array of token ids (< vocabSize when it is known). */
export const tokenIds: OptionValue<number[]> = {
  kind: 'token-ids',
  json: true,
  check: (option, value, vocabSize) => checkTokenIds(option, value, vocabSize),
};

/** An array of token-id arrays. */
export const tokenSequences: OptionValue<number[][]> = {
  kind: 'token-sequences',
  json: true,
  check(option, value, vocabSize) {
    if (!Array.isArray(value)) throw new DecodeOptionError(option, 'expected an array of token-id arrays');
    value.forEach((s, i) => checkTokenIds(`${option}[${i}]`, s, vocabSize));
    return value as number[][];
  },
};

/** An array of functions; `form` describes their signature in messages. */
export function functions<F>(form: string): OptionValue<F[]> {
  return {
    kind: 'functions',
    json: false,
    check(option, value) {
      if (!Array.isArray(value) || value.some((f) => typeof f !== 'function')) {
        throw new DecodeOptionError(option, `expected an array of functions ${form}`);
      }
      return value as F[];
    },
  };
}

/** An object accepted by `accepts`; `expected` says what is expected in messages. */
export function object<T>(accepts: (value: unknown) => boolean, expected: string): OptionValue<T> {
  return {
    kind: 'object',
    json: false,
    check(option, value) {
      if (!accepts(value)) throw new DecodeOptionError(option, `expected ${expected}`);
      return value as T;
    },
  };
}
