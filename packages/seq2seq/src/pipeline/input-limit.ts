import type { CheckpointConfig, SequenceLengths } from '../checkpoint/checkpoint-config.js';

/** The length limit training applies by default to each side of a pair, in tokens. */
export const DEFAULT_MAX_SEQUENCE_LENGTH = 1024;

/**
 * Longest input (source tokens; for lm the prime) a model is given: twice the
 * longest sequence it was trained on, as recorded in config.json; for older
 * checkpoints without that record, twice the default training limit.
 */
export function inputTokenLimit(config: CheckpointConfig): number {
  const lengths = config.lengths;
  if (!lengths) return 2 * DEFAULT_MAX_SEQUENCE_LENGTH;
  const seen = config.model.task === 'lm' ? lengths.target : lengths.source;
  return Math.max(2 * seen, 8);
}

/**
 * Most new tokens a model folder's generation.json may ask for (also as a
 * minimum): twice the longest target the model was trained on, at least 256;
 * for checkpoints without that record, twice the default training limit.
 */
export function outputTokenLimit(lengths: SequenceLengths | undefined): number {
  if (!lengths) return 2 * DEFAULT_MAX_SEQUENCE_LENGTH;
  return Math.max(2 * lengths.target, 256);
}

/** Inputs up to this many characters are always tokenised whole (so their token count is exact). */
const MIN_CHARACTER_BUDGET = 65_536;

/**
 * Characters of an input that are enough for `limit` tokens when no token
 * covers more than `longestToken` characters — twice that, for normalisers
 * that fold characters together — and never fewer than 64 Ki. An input is cut
 * to this before it is tokenised, so that a line of hundreds of megabytes is
 * never turned into hundreds of millions of ids only to keep `limit` of them.
 */
export function inputCharacterBudget(limit: number, longestToken: number): number {
  if (!Number.isFinite(limit)) return Infinity;
  return Math.max(MIN_CHARACTER_BUDGET, 2 * limit * Math.max(1, longestToken));
}

/**
 * `text` cut to `budget` characters before tokenising: a seq2seq source keeps
 * its start, an lm prime its end (as {@link fitInput} cuts the ids); a
 * surrogate pair is never split.
 */
export function cutText(text: string, budget: number, task: 'seq2seq' | 'lm'): string {
  if (text.length <= budget) return text;
  if (task === 'lm') {
    const start = text.length - budget;
    const low = text.charCodeAt(start);
    return text.slice(low >= 0xdc00 && low <= 0xdfff ? start + 1 : start);
  }
  const high = text.charCodeAt(budget - 1);
  return text.slice(0, high >= 0xd800 && high <= 0xdbff ? budget - 1 : budget);
}

/**
 * An input cut to `limit` tokens, with a warning: a seq2seq source keeps its
 * start, an lm prime its end (the context closest to what follows).
 * `characters`: the length of the text when it was cut by {@link cutText}
 * before tokenising (then `ids` are those of the part kept, and the warning
 * gives the text's length instead of a token count).
 */
export function fitInput(
  ids: number[],
  limit: number,
  task: 'seq2seq' | 'lm',
  what: string,
  warn: ((message: string) => void) | undefined,
  characters?: number,
): number[] {
  if (ids.length <= limit && characters === undefined) return ids;
  const kept = task === 'lm' ? 'last' : 'first';
  const size = characters === undefined ? `${ids.length} tokens` : `${characters} characters`;
  warn?.(
    `${what} has ${size}, more than this model takes (${limit}${characters === undefined ? '' : ' tokens'}: twice the longest it was trained on); ` +
      `only its ${kept} ${limit} tokens are used`,
  );
  if (ids.length <= limit) return ids;
  return task === 'lm' ? ids.slice(ids.length - limit) : ids.slice(0, limit);
}
