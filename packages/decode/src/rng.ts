import { DecodeOptionError } from './errors.js';

/**
 * A seedable source of uniform numbers in [0, 1). Sampling draws only from
 * the `Rng` it is given, so the same seed gives the same tokens everywhere.
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

/**
 * xoshiro128** (Blackman & Vigna, 2018): 128-bit state, period 2^128 − 1,
 * uses only 32-bit integer arithmetic (`Math.imul`, shifts), so its output is
 * identical on every JavaScript engine. The four state words are seeded from
 * `seed` with the splitmix32 mixer.
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || Math.abs(seed) > Number.MAX_SAFE_INTEGER) {
    throw new DecodeOptionError('seed', `expected a safe integer, got ${String(seed)}`);
  }
  const s = new Uint32Array(4);
  // Fold the high bits of large seeds in so that seeds ≥ 2^32 stay distinct.
  let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 0x100000000) >>> 0, 0x9e3779b9);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
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
      const ok =
        Array.isArray(state) &&
        state.length === 4 &&
        state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) &&
        state.some((w) => w !== 0);
      if (!ok) {
        throw new DecodeOptionError('rng state', 'expected four unsigned 32-bit integers, not all zero (from getState())');
      }
      s.set(state);
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
