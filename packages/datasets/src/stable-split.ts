import { fnv1a, mix32 } from '@seqloom/core';

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
  // One extra avalanche round (mix32) so nearby keys spread over the whole range.
  return mix32(fnv1a(text)) / 0x1_0000_0000;
}
