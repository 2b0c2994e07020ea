import { DataError } from './data-error.js';

/**
 * Batches of consecutive windows as parallel streams (truncated
 * back-propagation through time, as char-rnn trains): the `windows` windows
 * of a text, in text order, are cut into at most `batchSize` contiguous
 * streams of `L = ceil(windows / batchSize)` windows each, and batch k holds
 * window k of every stream that has one: row b of batch k+1 is the window
 * that follows row b of batch k in the text, so a recurrent state carried
 * from one batch to the next continues the same text. Only the last stream
 * may be shorter; the rows of a batch are always a prefix of the streams
 * (row b = stream b), so a carried state is cut to the first rows when the
 * last stream runs out. Every window is in exactly one batch. The plan is the
 * same every epoch (carrying state needs text order; there is no shuffle).
 */
export function planStreams(windows: number, batchSize: number): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DataError(`batchSize must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(windows) || windows < 0) throw new DataError(`windows must be a non-negative integer, got ${windows}`);
  if (windows === 0) return [];
  const length = Math.ceil(windows / batchSize);
  const streams = Math.ceil(windows / length);
  const batches: number[][] = [];
  for (let k = 0; k < length; k++) {
    const batch: number[] = [];
    for (let b = 0; b < streams; b++) {
      const index = b * length + k;
      if (index < Math.min((b + 1) * length, windows)) batch.push(index);
    }
    batches.push(batch);
  }
  return batches;
}
