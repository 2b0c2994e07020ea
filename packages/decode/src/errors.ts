import { SeqloomError } from '@seqloom/core';

/**
 * Thrown when a generation option or a processor/criterion factory argument is
 * invalid. The message names the option, the value given and the valid range.
 */
export class DecodeOptionError extends SeqloomError {
  /** The option (or factory argument) that was rejected, e.g. `topP`. */
  declare readonly option: string;
  constructor(option: string, message: string) {
    super(`${option}: ${message}`, { option });
    this.name = 'DecodeOptionError';
  }
}

/**
 * Thrown when a `StepModel` breaks its contract: logits of the wrong length,
 * NaN or +Infinity logits, a bad vocabulary size or special id. The message
 * names the step and row.
 */
export class DecodeModelError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeModelError';
  }
}

/**
 * Thrown when the logits processors leave a row with no allowed token. The
 * message names the processors that masked the last remaining tokens.
 */
export class NoAllowedTokenError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'NoAllowedTokenError';
  }
}

/** Throw a DecodeOptionError unless `value` is an integer within [min, max]. */
export function checkInteger(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
    throw new DecodeOptionError(option, `expected ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Throw a DecodeOptionError unless `value` is a finite number accepted by `ok`. */
export function checkNumber(option: string, value: unknown, ok: (v: number) => boolean, range: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new DecodeOptionError(option, `expected ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Throw unless `value` is an array of token ids (integers ≥ 0, < vocabSize when given). */
export function checkTokenIds(option: string, value: unknown, vocabSize?: number): number[] {
  if (!Array.isArray(value)) throw new DecodeOptionError(option, `expected an array of token ids, got ${describe(value)}`);
  value.forEach((id, i) => {
    const max = vocabSize === undefined ? Number.MAX_SAFE_INTEGER : vocabSize - 1;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > max) {
      const range = vocabSize === undefined ? 'an integer ≥ 0' : `an integer in [0, ${max}] (vocabSize ${vocabSize})`;
      throw new DecodeOptionError(`${option}[${i}]`, `expected a token id, ${range}, got ${describe(id)}`);
    }
  });
  return value as number[];
}

/** Short printable form of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
