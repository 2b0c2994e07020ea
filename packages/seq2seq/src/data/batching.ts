import { deriveSeed, SeededRng } from '@seqloom/core';
import type { Batch } from '../model-contract.js';
import { DataError } from './data-error.js';
import { storeOf } from './example-list.js';
import type { ExampleStore } from './example-store.js';
import type { SequenceExample } from './sequence-example.js';

/** Examples as a list, or any {@link ExampleStore} (typed arrays, a binarised folder). */
export type Examples = readonly SequenceExample[] | ExampleStore;

/** How an epoch is cut into batches: batch size, length bucketing and shuffling seed. */
export interface EpochPlanOptions {
  batchSize: number;
  seed: number;
  /** Examples are sorted by length inside shuffled chunks of this many batches. Default 16. */
  bucketChunk?: number;
}

/** The batches of an epoch, made when asked for: `at(k)` is batch k's example indices. */
export interface BatchPlan {
  readonly length: number;
  at(k: number): readonly number[] | undefined;
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new DataError(`batchSize must be a positive integer, got ${batchSize}`);
  }
}

/** Sorts `indices` in place by target length, then source length, then index. */
function sortByLength(store: ExampleStore, indices: Uint32Array | number[]): void {
  const count = indices.length;
  const target = new Float64Array(count);
  const source = new Float64Array(count);
  const ids = Float64Array.from(indices);
  for (let k = 0; k < count; k++) {
    target[k] = store.targetLength(ids[k]);
    source[k] = store.sourceLength(ids[k]);
  }
  const positions = Array.from({ length: count }, (_, k) => k);
  positions.sort((a, b) => target[a] - target[b] || source[a] - source[b] || ids[a] - ids[b]);
  for (let k = 0; k < count; k++) indices[k] = ids[positions[k]];
}

/** `0 … n−1` shuffled by `rng` (Fisher–Yates, the draws of `SeededRng.shuffle`). */
function shuffledRange(n: number, rng: SeededRng): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  return order;
}

/**
 * One epoch's plan, made lazily over an index permutation: the examples are
 * shuffled, each chunk of `bucketChunk` batches is sorted by length the first
 * time one of its batches is asked for, and the batch order is a shuffled
 * permutation. It holds 4 bytes an example, never the batches as lists, so a
 * corpus of any size is planned at once; its batches equal {@link planEpoch}'s.
 */
class LazyEpochPlan implements BatchPlan {
  readonly length: number;
  private order: Uint32Array | undefined;
  private batchOrder: Uint32Array | undefined;
  private readonly sortedChunks: Uint8Array;
  private readonly chunkBatches: number;

  constructor(
    private readonly store: ExampleStore,
    private readonly epoch: number,
    private readonly options: EpochPlanOptions,
  ) {
    checkBatchSize(options.batchSize);
    this.chunkBatches = options.bucketChunk ?? 16;
    this.length = Math.ceil(store.size / options.batchSize);
    this.sortedChunks = new Uint8Array(Math.ceil(this.length / this.chunkBatches));
  }

  /** The shuffles, drawn on the first batch asked for (the length alone needs none). */
  private shuffles(): { order: Uint32Array; batchOrder: Uint32Array } {
    if (!this.order || !this.batchOrder) {
      const rng = new SeededRng(deriveSeed(this.options.seed, 0xba7c4, this.epoch));
      this.order = shuffledRange(this.store.size, rng);
      this.batchOrder = shuffledRange(this.length, rng);
    }
    return { order: this.order, batchOrder: this.batchOrder };
  }

  at(k: number): number[] | undefined {
    if (!(k >= 0 && k < this.length)) return undefined;
    const { order, batchOrder } = this.shuffles();
    const batch = batchOrder[k];
    const chunk = Math.floor(batch / this.chunkBatches);
    const chunkSize = this.options.batchSize * this.chunkBatches;
    if (this.sortedChunks[chunk] === 0) {
      sortByLength(this.store, order.subarray(chunk * chunkSize, Math.min((chunk + 1) * chunkSize, order.length)));
      this.sortedChunks[chunk] = 1;
    }
    const start = batch * this.options.batchSize;
    return Array.from(order.subarray(start, Math.min(start + this.options.batchSize, order.length)));
  }
}

/**
 * The batches of one epoch, made as they are asked for (see {@link planEpoch},
 * whose batches these are, in the same order): what training uses, so a
 * plan's memory is 4 bytes an example whatever the corpus.
 */
export function epochBatches(examples: Examples, epoch: number, options: EpochPlanOptions): BatchPlan {
  return new LazyEpochPlan(storeOf(examples), epoch, options);
}

/**
 * The batches of one epoch as lists of example indices: examples are shuffled,
 * sorted by length inside chunks of `bucketChunk` batches (so a batch holds
 * sequences of similar length and little padding), cut into batches, and the
 * batch order is shuffled. It depends only on (seed, epoch), which is what
 * lets a resumed run see exactly the batches an uninterrupted one would.
 */
export function planEpoch(examples: Examples, epoch: number, options: EpochPlanOptions): number[][] {
  const plan = epochBatches(examples, epoch, options);
  return Array.from({ length: plan.length }, (_, k) => [...plan.at(k)!]);
}

/** Evaluation batches: every example once, sorted by length, no shuffling. */
export function planEvaluation(examples: Examples, batchSize: number): number[][] {
  checkBatchSize(batchSize);
  const store = storeOf(examples);
  const order = Array.from({ length: store.size }, (_, i) => i);
  sortByLength(store, order);
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
export function makeBatch(examples: Examples, indices: readonly number[], pad: PadIds): Batch {
  const store = storeOf(examples);
  const batchSize = indices.length;
  let sourceLength = 0;
  let targetLength = 0;
  for (const i of indices) {
    sourceLength = Math.max(sourceLength, store.sourceLength(i));
    targetLength = Math.max(targetLength, store.targetLength(i));
  }
  const source = new Int32Array(batchSize * sourceLength).fill(pad.sourcePadId);
  const sourceLengths = new Int32Array(batchSize);
  const targetIn = new Int32Array(batchSize * targetLength).fill(pad.padId);
  const targetOut = new Int32Array(batchSize * targetLength).fill(pad.padId);
  const targetMask = new Float32Array(batchSize * targetLength);
  let tokens = 0;
  indices.forEach((i, r) => {
    const length = store.targetLength(i);
    store.copySource(i, source, r * sourceLength);
    sourceLengths[r] = store.sourceLength(i);
    store.copyTarget(i, targetIn, targetOut, r * targetLength);
    targetMask.fill(1, r * targetLength, r * targetLength + length);
    tokens += length;
  });
  return { batchSize, sourceLength, targetLength, source, sourceLengths, targetIn, targetOut, targetMask, tokens };
}
