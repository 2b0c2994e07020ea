import { SeededRng } from '@seqloom/core';
import { DataError } from './data-error.js';

/** How a dataset is split into training and validation parts (fraction, seed, grouping). */
export interface SplitOptions<T> {
  /** Fraction of items (or groups) held out for validation, in [0, 1). */
  validFraction: number;
  seed: number;
  /**
   * Items with the same key always land on the same side (e.g. every target
   * of one source), so validation never sees a training source.
   */
  groupBy?: (item: T) => string;
}

/**
 * Seeded train/validation split. The same items, fraction and seed always give
 * the same split; item order inside each side follows the input order.
 */
export function splitTrainValid<T>(items: readonly T[], options: SplitOptions<T>): { train: T[]; valid: T[] } {
  const { validFraction, seed } = options;
  if (!(validFraction >= 0 && validFraction < 1)) {
    throw new DataError(`validFraction must be in [0, 1), got ${validFraction}`);
  }
  const keyOf = (item: T, index: number): string => (options.groupBy ? options.groupBy(item) : String(index));
  const keys: string[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const key = keyOf(item, i);
    if (!seen.has(key)) {
      seen.add(key);
      keys.push(key);
    }
  });
  const validCount = Math.round(keys.length * validFraction);
  if (validFraction > 0 && validCount === 0) {
    throw new DataError(
      `validFraction ${validFraction} of ${keys.length} item(s) holds out nothing; ` + 'give more data, a larger validFraction, or a validation file',
    );
  }
  const validKeys = new Set(new SeededRng(seed).shuffle(keys.slice()).slice(0, validCount));
  const train: T[] = [];
  const valid: T[] = [];
  items.forEach((item, i) => {
    (validKeys.has(keyOf(item, i)) ? valid : train).push(item);
  });
  return { train, valid };
}
