import { createRng, type Rng, type RngState } from '@seqloom/decode';

export type { RngState } from '@seqloom/decode';

/** Mixes a 32-bit value (splitmix32 finaliser). */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Derives a new 32-bit seed from a seed and a list of integers (e.g. an epoch). */
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = mix32(seed >>> 0);
  for (const part of parts) h = mix32((h ^ mix32(part >>> 0)) >>> 0);
  return h;
}

/**
 * The project's one seeded generator (xoshiro128** of `@seqloom/decode`, the
 * one sampling draws from) with the draws training needs: shuffles and
 * per-step seeds. Its whole state can be saved and restored, so shuffles and
 * seeds are identical on every machine and after resuming from a checkpoint.
 */
export class SeededRng implements Rng {
  private readonly rng: Rng;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.rng = createRng(seed >>> 0);
  }

  /** Restores a generator from {@link SeededRng.getState}. */
  static fromState(state: readonly number[]): SeededRng {
    const rng = new SeededRng(0);
    rng.setState(state as RngState);
    return rng;
  }

  getState(): RngState {
    return this.rng.getState();
  }

  setState(state: RngState): void {
    const ok = Array.isArray(state) && state.length === 4 && state.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32);
    if (!ok || state.every((w) => w === 0)) {
      throw new RangeError(`RNG state must be four unsigned 32-bit integers, not all zero, got ${JSON.stringify(state)}`);
    }
    this.rng.setState(state);
  }

  /** Next unsigned 32-bit integer (the generator's output word). */
  nextUint32(): number {
    return this.rng.next() * 4294967296;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.rng.next();
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.rng.next() * n);
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}
