import { GOLDEN_GAMMA, mix32 } from './mix32.js';
import { SeqloomError } from './seqloom-error.js';

/**
 * A seedable source of uniform numbers in [0, 1). Everything random in
 * seqloom draws from one, so the same seed gives the same result everywhere.
 */
export interface Rng {
  /** Next uniform number in [0, 1) (32 bits of resolution). */
  next(): number;
  /** The generator's full state, JSON-serialisable. */
  getState(): RngState;
  /** Restore a state obtained from `getState()`; the sequence continues from there. */
  setState(state: RngState): void;
}

/** State of the xoshiro128** generator: four unsigned 32-bit words, not all zero. */
export type RngState = [number, number, number, number];

/** The form {@link Rng.setState} expects, for error messages. */
export const RNG_STATE_FORM = 'four unsigned 32-bit integers, not all zero (from getState())';

/** True when `state` is a valid {@link RngState}: four unsigned 32-bit integers, not all zero. */
export function isRngState(state: unknown): state is RngState {
  return Array.isArray(state) && state.length === 4 && state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && state.some((w) => w !== 0);
}

/**
 * The project's one seeded generator: xoshiro128** (Blackman & Vigna, 2018),
 * 128-bit state, period 2^128 − 1, only 32-bit integer arithmetic
 * (`Math.imul`, shifts), so its output is identical on every JavaScript
 * engine. The four state words are seeded from `seed` (a safe integer) with
 * splitmix32. A bad seed or state is a {@link SeqloomError} naming the option
 * (`seed`, `rng state`).
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new SeqloomError(`seed: expected a safe integer, got ${String(seed)}`, { option: 'seed' });
  }
  const s = new Uint32Array(4);
  // Fold the high bits of large seeds in so that seeds ≥ 2^32 stay distinct.
  let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 0x100000000) >>> 0, GOLDEN_GAMMA);
  for (let i = 0; i < 4; i++) {
    x = (x + GOLDEN_GAMMA) >>> 0;
    s[i] = mix32(x);
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
      const t = s[1] << 9;
      s[2] ^= s[0];
      s[3] ^= s[1];
      s[1] ^= s[2];
      s[0] ^= s[3];
      s[2] ^= t;
      s[3] = rotl(s[3], 11);
      return result / 0x100000000;
    },
    getState(): RngState {
      return [s[0], s[1], s[2], s[3]];
    },
    setState(state: RngState): void {
      if (!isRngState(state)) {
        throw new SeqloomError(`rng state: expected ${RNG_STATE_FORM}, got ${describeState(state)}`, { option: 'rng state' });
      }
      s.set(state);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function describeState(state: unknown): string {
  const text = JSON.stringify(state) ?? String(state);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
