import { type OffsetArray, PairStore, type TokenArray } from './example-store.js';

/** Largest offset a Uint32Array holds. */
const MAX_UINT32 = 0xffffffff;

/** A typed array of the same kind as `old` with `length` elements, `old`'s first `used` copied in. */
function grown<T extends TokenArray | OffsetArray>(old: T, length: number, used: number, make: (n: number) => T): T {
  const next = make(length);
  next.set(old.subarray(0, used) as never);
  return next;
}

/** The token array for ids below `vocabSize`: 16 bits when every id fits. */
export function tokenArrayFor(vocabSize: number, length: number): TokenArray {
  return vocabSize <= 0x10000 ? new Uint16Array(length) : new Int32Array(length);
}

/**
 * Collects encoded pairs into one growing token array and offset array (each
 * doubling when full), so a corpus costs its ids and two offsets an example,
 * not an object, three arrays and their headers per example. Offsets move to
 * 64-bit floats past 4G tokens.
 */
export class PairStoreBuilder {
  private tokens: TokenArray;
  private offsets: OffsetArray = new Uint32Array(1025);
  private tokenCount = 0;
  private offsetCount = 1;

  constructor(
    private readonly vocabSize: number,
    private readonly bosId: number,
    private readonly eosId: number,
  ) {
    this.tokens = tokenArrayFor(vocabSize, 4096);
  }

  /** Number of examples added. */
  get size(): number {
    return (this.offsetCount - 1) / 2;
  }

  /** Adds an example: its source ids and its target ids without the start and stop tokens. */
  add(source: ArrayLike<number>, target: ArrayLike<number>): void {
    const needed = this.tokenCount + source.length + target.length;
    if (needed > this.tokens.length) {
      const length = Math.max(needed, this.tokens.length * 2);
      this.tokens = grown(this.tokens, length, this.tokenCount, (n) => tokenArrayFor(this.vocabSize, n));
    }
    if (needed > MAX_UINT32 && this.offsets instanceof Uint32Array) {
      this.offsets = grown<OffsetArray>(this.offsets, this.offsets.length, this.offsetCount, (n) => new Float64Array(n));
    }
    if (this.offsetCount + 2 > this.offsets.length) {
      const make = this.offsets instanceof Uint32Array ? (n: number) => new Uint32Array(n) : (n: number) => new Float64Array(n);
      this.offsets = grown<OffsetArray>(this.offsets, this.offsets.length * 2, this.offsetCount, make);
    }
    this.tokens.set(source, this.tokenCount);
    this.tokenCount += source.length;
    this.offsets[this.offsetCount++] = this.tokenCount;
    this.tokens.set(target, this.tokenCount);
    this.tokenCount += target.length;
    this.offsets[this.offsetCount++] = this.tokenCount;
  }

  /** The store of every example added, trimmed to its size (the builder must not be used after). */
  finish(): PairStore {
    const tokens = this.tokens.slice(0, this.tokenCount) as TokenArray;
    const offsets = this.offsets.slice(0, this.offsetCount) as OffsetArray;
    return new PairStore(tokens, offsets, this.bosId, this.eosId);
  }
}
