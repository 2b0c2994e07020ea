import { SeededRng } from '@seqloom/core';
import { DataError } from './data-error.js';
import type { PairSource } from './pair-source.js';
import { SourceKeys } from './source-keys.js';

/** Which sources a grouped split holds out. */
export interface SourceSplit {
  /** True when every pair of `source` is validation data. */
  isValid(source: string): boolean;
  /** Distinct sources, and how many of them are held out. */
  sources: number;
  validSources: number;
}

/**
 * The grouped train/validation split of `splitTrainValid` with `groupBy:
 * source`, made in one streaming pass: the distinct sources are numbered in
 * first-seen order, the numbers shuffled by `SeededRng(seed)`, and the first
 * `round(sources × validFraction)` held out — the same split as shuffling the
 * strings, since a shuffle's draws depend only on the length. When that
 * rounds to none, `validSources` is 0 and nothing is held out.
 */
export async function splitSources(pairs: PairSource, validFraction: number, seed: number): Promise<SourceSplit> {
  if (!(validFraction >= 0 && validFraction < 1)) {
    throw new DataError(`validFraction must be in [0, 1), got ${validFraction}`);
  }
  const keys = new SourceKeys();
  for await (const pair of pairs.pairs()) keys.add(pair.source);
  const validCount = Math.round(keys.count * validFraction);
  if (validCount === 0) return { isValid: () => false, sources: keys.count, validSources: 0 };
  const order = new Uint32Array(keys.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const rng = new SeededRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
  const held = new Uint8Array(keys.count);
  for (let k = 0; k < validCount; k++) held[order[k]] = 1;
  return { isValid: (source) => held[keys.get(source)] === 1, sources: keys.count, validSources: validCount };
}
