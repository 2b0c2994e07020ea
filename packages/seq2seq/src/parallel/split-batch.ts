import type { Batch } from '../model-contract.js';
import { shares } from './pool-threads.js';

/** Rows `[start, end)` of a padded row-major matrix, each cut to `width` columns. */
function rows<T extends Int32Array | Float32Array>(values: T, stride: number, start: number, end: number, width: number): T {
  const out = new (values.constructor as new (length: number) => T)((end - start) * width);
  for (let r = start; r < end; r++) out.set(values.subarray(r * stride, r * stride + width), (r - start) * width);
  return out;
}

/** Real (unmasked) length of target row `r`. */
function targetLengthOf(batch: Batch, r: number): number {
  let length = 0;
  for (let t = 0; t < batch.targetLength; t++) if (batch.targetMask[r * batch.targetLength + t] !== 0) length = t + 1;
  return length;
}

/**
 * Splits a batch into `parts` batches of contiguous rows (sizes differ by at
 * most one), each padded only to its own longest source and target. The
 * shards' `tokens` add up to the batch's.
 */
export function splitBatch(batch: Batch, parts: number): Batch[] {
  const count = Math.max(1, Math.min(parts, batch.batchSize));
  const bounds = shares([...Array(batch.batchSize).keys()], count).map((share) => [share[0]!, share[share.length - 1]! + 1] as const);
  return bounds.map(([start, end]) => {
    let sourceLength = 0;
    let targetLength = 0;
    let tokens = 0;
    for (let r = start; r < end; r++) {
      sourceLength = Math.max(sourceLength, batch.sourceLengths[r]!);
      const length = targetLengthOf(batch, r);
      targetLength = Math.max(targetLength, length);
      for (let t = 0; t < length; t++) tokens += batch.targetMask[r * batch.targetLength + t]!;
    }
    return {
      batchSize: end - start,
      sourceLength: batch.sourceLength === 0 ? 0 : sourceLength,
      targetLength,
      source: rows(batch.source, batch.sourceLength, start, end, batch.sourceLength === 0 ? 0 : sourceLength),
      sourceLengths: batch.sourceLengths.slice(start, end),
      targetIn: rows(batch.targetIn, batch.targetLength, start, end, targetLength),
      targetOut: rows(batch.targetOut, batch.targetLength, start, end, targetLength),
      targetMask: rows(batch.targetMask, batch.targetLength, start, end, targetLength),
      tokens,
    };
  });
}
