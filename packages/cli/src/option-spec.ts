import { UsageError } from './cli-error.js';

/** Value kinds an option can take. */
export type OptionKind = 'string' | 'path' | 'number' | 'integer' | 'boolean' | 'choice';

/**
 * One command-line option: its help text, default, and the range it must
 * lie in. The same table drives yargs (help output), config-file merging,
 * defaults and validation, so they never disagree.
 */
export interface OptionSpec {
  /** kebab-case flag name without dashes, e.g. `learning-rate`. */
  name: string;
  kind: OptionKind;
  describe: string;
  /** Applied when neither a flag nor the config file sets the option. */
  default?: string | number | boolean;
  /** Shown instead of the default in help (e.g. when it depends on other options). */
  defaultText?: string;
  choices?: readonly string[];
  /** Inclusive lower bound (exclusive with `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Inclusive upper bound (exclusive with `maxExclusive`). */
  max?: number;
  maxExclusive?: boolean;
  /** Also accept a value of this pattern for a choice option (e.g. `bpe:<size>`); shown in the error. */
  pattern?: { regex: RegExp; form: string; check?: (text: string) => string | undefined };
  alias?: string;
  /** Help section heading. */
  group?: string;
  /** Accept several values (`--flag a b`, `--flag a --flag b`). */
  array?: boolean;
  /**
   * Accept the flag several times, one value each (`--flag a --flag b`); the
   * value is then a list. Unlike `array`, a flag takes one value, so the words
   * after it stay positionals.
   */
  repeatable?: boolean;
}

/** Parsed option values keyed by camelCase name. */
export type OptionValues = Record<string, unknown>;

/** `learning-rate` → `learningRate`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `learningRate` → `learning-rate`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The help text for an option's default, or undefined when it has none. */
export function defaultLabel(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined) return undefined;
  return String(spec.default);
}

/** The help description: the text plus the allowed values or range. */
export function describeOption(spec: OptionSpec): string {
  const parts = [spec.describe];
  if (spec.choices) {
    const extra = spec.pattern ? ` | ${spec.pattern.form}` : '';
    parts.push(`(${spec.choices.join(' | ')}${extra})`);
  }
  const range = rangeText(spec);
  if (range) parts.push(range);
  return parts.join(' ');
}

function rangeText(spec: OptionSpec): string | undefined {
  if (spec.min === undefined && spec.max === undefined) return undefined;
  const lo = spec.min === undefined ? '(-∞' : `${spec.minExclusive ? '(' : '['}${spec.min}`;
  const hi = spec.max === undefined ? '∞)' : `${spec.max}${spec.maxExclusive ? ')' : ']'}`;
  return `in ${lo}, ${hi}`;
}

/**
 * Checks and normalises one value. Throws a {@link UsageError} naming the
 * flag, the accepted form and what was given.
 */
export function checkValue(spec: OptionSpec, value: unknown, origin = ''): unknown {
  if (spec.array || spec.repeatable) {
    const list = Array.isArray(value) ? value : [value];
    return list.map((v) => checkScalar(spec, v, origin));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    // A flag given twice: the last one wins, as in most command lines.
    value = value[value.length - 1];
  }
  return checkScalar(spec, value, origin);
}

function checkScalar(spec: OptionSpec, value: unknown, origin: string): unknown {
  const flag = `--${spec.name}${origin}`;
  const got = typeof value === 'string' ? `"${value}"` : String(value);
  switch (spec.kind) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new UsageError(`${flag} is a switch (true or false), got ${got}`);
    case 'string':
    case 'path':
      if (typeof value === 'string' && value !== '') return value;
      if (typeof value === 'number') return String(value);
      throw new UsageError(`${flag} needs a ${spec.kind === 'path' ? 'path' : 'value'}, got ${value === '' ? 'nothing' : got}`);
    case 'choice': {
      const text = typeof value === 'number' ? String(value) : value;
      if (typeof text === 'string' && spec.choices?.includes(text)) return text;
      if (typeof text === 'string' && spec.pattern?.regex.test(text)) {
        // A value of the pattern's form may still be out of range (bpe:5): a usage error too.
        const problem = spec.pattern.check?.(text);
        if (problem) throw new UsageError(`${flag} ${problem}`);
        return text;
      }
      const allowed = [...(spec.choices ?? []), ...(spec.pattern ? [spec.pattern.form] : [])].join(', ');
      throw new UsageError(`${flag} must be one of ${allowed}; got ${got}`);
    }
    case 'number':
    case 'integer':
      return checkNumber(spec, value, flag, got);
  }
}

function checkNumber(spec: OptionSpec, value: unknown, flag: string, got: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const what = spec.kind === 'integer' ? 'an integer' : 'a number';
  const range = rangeText(spec);
  const expected = range ? `${what} ${range}` : what;
  if (!Number.isFinite(n) || (spec.kind === 'integer' && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${expected}, got ${got}`);
  }
  const tooLow = spec.min !== undefined && (spec.minExclusive ? n <= spec.min : n < spec.min);
  const tooHigh = spec.max !== undefined && (spec.maxExclusive ? n >= spec.max : n > spec.max);
  if (tooLow || tooHigh) throw new UsageError(`${flag} must be ${expected}, got ${n}`);
  return n;
}
