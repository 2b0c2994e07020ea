import type { CheckpointConfig } from '../checkpoint/checkpoint-config.js';

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
 * An input cut to `limit` tokens, with a warning: a seq2seq source keeps its
 * start, an lm prime its end (the context closest to what follows).
 */
export function fitInput(
  ids: number[],
  limit: number,
  task: 'seq2seq' | 'lm',
  what: string,
  warn: ((message: string) => void) | undefined,
): number[] {
  if (ids.length <= limit) return ids;
  const kept = task === 'lm' ? 'last' : 'first';
  warn?.(
    `${what} has ${ids.length} tokens, more than this model takes (${limit}: twice the longest it was trained on); ` +
      `only its ${kept} ${limit} tokens are used`,
  );
  return task === 'lm' ? ids.slice(ids.length - limit) : ids.slice(0, limit);
}
