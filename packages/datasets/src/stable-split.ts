/** Which part of a fixed split an item belongs to. */
export type SplitName = 'train' | 'valid' | 'test';

/** Fractions of the data held out for validation and test (the rest trains). */
export interface SplitFractions {
  valid: number;
  test: number;
}

/**
 * Assigns a key to train/valid/test from a 32-bit FNV-1a hash of
 * `seed:key`. The assignment depends only on the key and the seed, never on
 * the order or number of other items, so the split is the same on every
 * machine and stays stable if the list grows.
 */
export function splitOf(key: string, seed: number, fractions: SplitFractions): SplitName {
  const u = hashUnit(`${seed}:${key}`);
  if (u < fractions.test) return 'test';
  if (u < fractions.test + fractions.valid) return 'valid';
  return 'train';
}

/** FNV-1a over UTF-16 code units, mapped to [0, 1). */
export function hashUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One extra avalanche round so nearby keys spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
