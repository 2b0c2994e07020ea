import { createRng, type Rng, type RngState } from './rng.js';
import { SeqloomError } from './seqloom-error.js';

/**
 * The project's seeded generator ({@link createRng}) with the draws training
 * needs: integers, shuffles, per-step seeds. Its whole state can be saved and
 * restored, so shuffles and seeds are identical on every machine and after
 * resuming from a checkpoint.
 */
export class SeededRng implements Rng {
  private readonly rng: Rng;

  /** A generator seeded with `seed` (a finite number, taken modulo 2^32). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new SeqloomError(`seed must be a finite number, got ${seed}`, { option: 'seed' });
    this.rng = createRng(seed >>> 0);
  }

  /** Restores a generator from {@link SeededRng.getState}. */
  static fromState(state: readonly number[]): SeededRng {
    const rng = new SeededRng(0);
    rng.setState(state as RngState);
    return rng;
  }

  /** The generator's full state (four unsigned 32-bit words). */
  getState(): RngState {
    return this.rng.getState();
  }

  /** Continues from a state obtained from {@link SeededRng.getState}. */
  setState(state: RngState): void {
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
