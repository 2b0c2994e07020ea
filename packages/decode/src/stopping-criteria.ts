import { checkInteger, checkTokenIds, DecodeOptionError } from './errors.js';
import { number } from './option-values.js';
import { named } from './processor.js';

/** Why a hypothesis ended. */
export type FinishReason = 'eos' | 'length' | 'aborted' | 'time';

/** What a stopping criterion sees of a live row. */
export interface StoppingContext {
  /** Tokens generated so far in this row (bos excluded), the newest last. */
  readonly tokens: readonly number[];
  /** Index of the source (batch element) the row belongs to. */
  readonly source: number;
  /** Milliseconds since generation started. */
  readonly elapsedMs: number;
}

/**
 * A per-row predicate: returns the reason the row must stop, or null to let
 * it continue. Criteria are combined with OR; the first that fires names the
 * finish reason. They are checked before every model step, so a stopped row
 * costs no further model work.
 */
export type StoppingCriterion = (context: StoppingContext) => FinishReason | null;

/** Stop a row once it has generated `n` tokens (reason `length`). */
export function maxNewTokens(n: number): StoppingCriterion {
  checkInteger('maxNewTokens', n, 0);
  return named(`maxNewTokens(${n})`, ({ tokens }) => (tokens.length >= n ? 'length' : null));
}

/** Stop a row right after it generates one of the given tokens (reason `eos`). */
export function stopToken(ids: number | readonly number[]): StoppingCriterion {
  const list = checkTokenIds('stopToken', typeof ids === 'number' ? [ids] : ids);
  const set = new Set(list);
  return named(`stopToken(${list.join(',')})`, ({ tokens }) => (tokens.length > 0 && set.has(tokens[tokens.length - 1]) ? 'eos' : null));
}

/** Stop every row once `signal` is aborted (reason `aborted`); rows keep the tokens they have. */
export function abortSignal(signal: AbortSignal): StoppingCriterion {
  if (!signal || typeof signal.aborted !== 'boolean') {
    throw new DecodeOptionError('signal', 'expected an AbortSignal (e.g. from new AbortController().signal)');
  }
  return named('abortSignal', () => (signal.aborted ? 'aborted' : null));
}

/** The time limit of `maxTime`. */
export const maxTimeValue = number({ min: 0, minExclusive: true, unit: 'milliseconds' });

/** Stop every row once `ms` milliseconds have passed since generation began (reason `time`). */
export function maxTime(ms: number): StoppingCriterion {
  maxTimeValue.check('maxTimeMs', ms);
  return named(`maxTime(${ms})`, ({ elapsedMs }) => (elapsedMs >= ms ? 'time' : null));
}
