/**
 * The 32-bit finaliser of MurmurHash3 (`fmix32`): a bijection on unsigned
 * 32-bit integers in which every input bit affects every output bit. Only
 * 32-bit integer arithmetic, so the result is the same on every engine.
 */
export function mix32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The golden-ratio increment of splitmix32 (2^32 / φ). */
export const GOLDEN_GAMMA = 0x9e3779b9;
