import { DataError } from './data-error.js';
import type { SequenceExample } from './sequence-example.js';

/**
 * Training examples read by index, however they are held: token ids in typed
 * arrays ({@link PairStore}, {@link WindowStore}), a binarised folder on disk,
 * or a plain list of {@link SequenceExample}s. Batching reads examples only
 * through this, so no example needs to live as a JavaScript object.
 */
export interface ExampleStore {
  /** Number of examples. */
  readonly size: number;
  /** Tokens of example `i`'s source (0 for lm). */
  sourceLength(i: number): number;
  /** Tokens of example `i`'s `targetIn` (= its `targetOut`). */
  targetLength(i: number): number;
  /** Copies example `i`'s source ids into `into` from `at`. */
  copySource(i: number, into: Int32Array, at: number): void;
  /** Copies example `i`'s `targetIn` and `targetOut` ids into the two arrays from `at`. */
  copyTarget(i: number, targetIn: Int32Array, targetOut: Int32Array, at: number): void;
  /** Example `i` as a {@link SequenceExample} (a fresh copy). */
  example(i: number): SequenceExample;
  /** The data fingerprint when it is known without reading every example (a binarised header). */
  readonly knownFingerprint?: string;
  /** The longest source and `targetOut` when known without reading every example. */
  readonly knownLongest?: { source: number; target: number };
}

/** Ids of a typed array, as a plain array (what {@link SequenceExample} holds). */
function idsOf(ids: ArrayLike<number>, start: number, end: number): number[] {
  const out = new Array<number>(end - start);
  for (let k = start; k < end; k++) out[k - start] = ids[k];
  return out;
}

function copyIds(ids: ArrayLike<number>, start: number, end: number, into: Int32Array, at: number): void {
  for (let k = start; k < end; k++) into[at + k - start] = ids[k];
}

/** The typed array that holds token ids of a vocabulary of `vocabSize` ids: 16 bits when they fit. */
export type TokenArray = Uint16Array | Int32Array;
/** Offsets into a token array: 32 bits up to 4G tokens, else 64-bit floats (exact to 2^53). */
export type OffsetArray = Uint32Array | Float64Array;

/**
 * Source/target pairs as one token array and one offset array: example `i`'s
 * source is `tokens[offsets[2i] .. offsets[2i+1])` and its target (without the
 * start and stop tokens) `tokens[offsets[2i+1] .. offsets[2i+2])`; `targetIn`
 * is `[bos, ...target]` and `targetOut` `[...target, eos]`.
 */
export class PairStore implements ExampleStore {
  readonly size: number;

  constructor(
    readonly tokens: TokenArray,
    readonly offsets: OffsetArray,
    readonly bosId: number,
    readonly eosId: number,
  ) {
    this.size = Math.max(0, (offsets.length - 1) / 2);
    if (!Number.isInteger(this.size)) throw new DataError(`a pair store needs 2 × examples + 1 offsets, got ${offsets.length}`);
  }

  sourceLength(i: number): number {
    return this.offsets[2 * i + 1] - this.offsets[2 * i];
  }

  targetLength(i: number): number {
    return this.offsets[2 * i + 2] - this.offsets[2 * i + 1] + 1;
  }

  copySource(i: number, into: Int32Array, at: number): void {
    copyIds(this.tokens, this.offsets[2 * i], this.offsets[2 * i + 1], into, at);
  }

  copyTarget(i: number, targetIn: Int32Array, targetOut: Int32Array, at: number): void {
    const start = this.offsets[2 * i + 1];
    const end = this.offsets[2 * i + 2];
    targetIn[at] = this.bosId;
    copyIds(this.tokens, start, end, targetIn, at + 1);
    copyIds(this.tokens, start, end, targetOut, at);
    targetOut[at + end - start] = this.eosId;
  }

  example(i: number): SequenceExample {
    const target = idsOf(this.tokens, this.offsets[2 * i + 1], this.offsets[2 * i + 2]);
    return {
      source: idsOf(this.tokens, this.offsets[2 * i], this.offsets[2 * i + 1]),
      targetIn: [this.bosId, ...target],
      targetOut: [...target, this.eosId],
    };
  }
}

/**
 * Language-model windows over one token stream `[bos, ...ids, eos]`: window
 * `i` reads `stream[i·w .. min(i·w + w, n − 1))` and predicts the same range
 * moved one token on (see `lmWindows`).
 */
export class WindowStore implements ExampleStore {
  readonly size: number;

  constructor(
    readonly stream: TokenArray,
    readonly windowSize: number,
  ) {
    this.size = stream.length < 2 ? 0 : Math.ceil((stream.length - 1) / windowSize);
  }

  private end(i: number): number {
    return Math.min(i * this.windowSize + this.windowSize, this.stream.length - 1);
  }

  sourceLength(): number {
    return 0;
  }

  targetLength(i: number): number {
    return this.end(i) - i * this.windowSize;
  }

  copySource(): void {}

  copyTarget(i: number, targetIn: Int32Array, targetOut: Int32Array, at: number): void {
    const start = i * this.windowSize;
    copyIds(this.stream, start, this.end(i), targetIn, at);
    copyIds(this.stream, start + 1, this.end(i) + 1, targetOut, at);
  }

  example(i: number): SequenceExample {
    const start = i * this.windowSize;
    return { source: [], targetIn: idsOf(this.stream, start, this.end(i)), targetOut: idsOf(this.stream, start + 1, this.end(i) + 1) };
  }
}

/** A plain list of examples read through the {@link ExampleStore} interface (what users of `train()` may pass). */
export class ListStore implements ExampleStore {
  constructor(private readonly examples: readonly SequenceExample[]) {}

  get size(): number {
    return this.examples.length;
  }

  sourceLength(i: number): number {
    return this.examples[i].source.length;
  }

  targetLength(i: number): number {
    return this.examples[i].targetIn.length;
  }

  copySource(i: number, into: Int32Array, at: number): void {
    into.set(this.examples[i].source, at);
  }

  copyTarget(i: number, targetIn: Int32Array, targetOut: Int32Array, at: number): void {
    const row = this.examples[i];
    if (row.targetIn.length !== row.targetOut.length || row.targetIn.length === 0) {
      throw new DataError(
        `example ${i}: targetIn and targetOut must have the same, non-zero length ` +
          `(got ${row.targetIn.length} and ${row.targetOut.length}); build examples with encodePairs or lmWindows`,
      );
    }
    targetIn.set(row.targetIn, at);
    targetOut.set(row.targetOut, at);
  }

  example(i: number): SequenceExample {
    const row = this.examples[i];
    return { source: [...row.source], targetIn: [...row.targetIn], targetOut: [...row.targetOut] };
  }
}
