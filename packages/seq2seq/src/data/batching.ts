import type { Batch } from '../model-contract.js';
import { DataError } from './data-error.js';
import { deriveSeed, SeededRng } from './seeded-rng.js';
import type { SequenceExample } from './sequence-example.js';

/** How an epoch is cut into batches: batch size, length bucketing and shuffling seed. */
export interface EpochPlanOptions {
  batchSize: number;
  seed: number;
  /** Examples are sorted by length inside shuffled chunks of this many batches. Default 16. */
  bucketChunk?: number;
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DataError(`batchSize must be a positive integer, got ${batchSize}`);
  }
}

function byLength(examples: readonly SequenceExample[]) {
  return (a: number, b: number): number =>
    examples[a].targetIn.length - examples[b].targetIn.length ||
    examples[a].source.length - examples[b].source.length ||
    a - b;
}

/**
 * The batches of one epoch as lists of example indices: examples are shuffled,
 * sorted by length inside chunks of `bucketChunk` batches (so a batch holds
 * sequences of similar length and little padding), cut into batches, and the
 * batch order is shuffled. It depends only on (seed, epoch), which is what
 * lets a resumed run see exactly the batches an uninterrupted one would.
 */
export function planEpoch(
  examples: readonly SequenceExample[],
  epoch: number,
  options: EpochPlanOptions,
): number[][] {
  checkBatchSize(options.batchSize);
  const rng = new SeededRng(deriveSeed(options.seed, 0xba7c4, epoch));
  const order = rng.shuffle(Array.from(examples, (_, i) => i));
  const chunkSize = options.batchSize * (options.bucketChunk ?? 16);
  const compare = byLength(examples);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += chunkSize) {
    const chunk = order.slice(start, start + chunkSize).sort(compare);
    for (let b = 0; b < chunk.length; b += options.batchSize) {
      batches.push(chunk.slice(b, b + options.batchSize));
    }
  }
  return rng.shuffle(batches);
}

/** Evaluation batches: every example once, sorted by length, no shuffling. */
export function planEvaluation(examples: readonly SequenceExample[], batchSize: number): number[][] {
  checkBatchSize(batchSize);
  const order = Array.from(examples, (_, i) => i).sort(byLength(examples));
  const batches: number[][] = [];
  for (let b = 0; b < order.length; b += batchSize) batches.push(order.slice(b, b + batchSize));
  return batches;
}

/** Padding ids used when building batches. */
export interface PadIds {
  padId: number;
  sourcePadId: number;
}

/** Packs examples into a padded, masked {@link Batch}. */
export function makeBatch(
  examples: readonly SequenceExample[],
  indices: readonly number[],
  pad: PadIds,
): Batch {
  const rows = indices.map((i) => examples[i]);
  const batchSize = rows.length;
  const sourceLength = Math.max(0, ...rows.map((r) => r.source.length));
  const targetLength = Math.max(...rows.map((r) => r.targetIn.length));
  const source = new Int32Array(batchSize * sourceLength).fill(pad.sourcePadId);
  const sourceLengths = new Int32Array(batchSize);
  const targetIn = new Int32Array(batchSize * targetLength).fill(pad.padId);
  const targetOut = new Int32Array(batchSize * targetLength).fill(pad.padId);
  const targetMask = new Float32Array(batchSize * targetLength);
  let tokens = 0;
  rows.forEach((row, r) => {
    if (row.targetIn.length !== row.targetOut.length || row.targetIn.length === 0) {
      throw new DataError(
        `example ${indices[r]}: targetIn and targetOut must have the same, non-zero length ` +
          `(got ${row.targetIn.length} and ${row.targetOut.length}); build examples with encodePairs or lmWindows`,
      );
    }
    source.set(row.source, r * sourceLength);
    sourceLengths[r] = row.source.length;
    targetIn.set(row.targetIn, r * targetLength);
    targetOut.set(row.targetOut, r * targetLength);
    targetMask.fill(1, r * targetLength, r * targetLength + row.targetIn.length);
    tokens += row.targetIn.length;
  });
  return { batchSize, sourceLength, targetLength, source, sourceLengths, targetIn, targetOut, targetMask, tokens };
}
