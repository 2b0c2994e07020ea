import type { DataError } from './data-error.js';
import { type ReadPairsOptions, streamPairs, type TextPair } from './read-pairs.js';

/** Source/target pairs that can be read more than once, in the same order each time, without holding them. */
export interface PairSource {
  /** What messages call it (a file, or a label). */
  readonly name: string;
  /** The pairs, in order (a new pass each call). */
  pairs(): AsyncIterable<TextPair>;
}

/** Malformed lines a pair file skipped on its first pass (with `skipBadLines`). */
export interface SkipCount {
  skipped: number;
  /** The first few, as `file:line: reason`. */
  examples: string[];
}

/**
 * A pair file read again on each pass; the lines skipped are counted into
 * `skips` once, by the first pass that reads the whole file.
 */
export function filePairs(file: string, options: ReadPairsOptions, skips: SkipCount): PairSource {
  let counted = false;
  return {
    name: file,
    async *pairs() {
      const pass: SkipCount = { skipped: 0, examples: [] };
      yield* streamPairs(file, options, (problem: DataError) => {
        pass.skipped += 1;
        if (pass.examples.length < 5) pass.examples.push(problem.message);
      });
      if (counted) return;
      counted = true;
      skips.skipped += pass.skipped;
      skips.examples.push(...pass.examples);
    },
  };
}

/** True when `source` has at least one pair (reads only as far as the first). */
export async function hasPairs(source: PairSource): Promise<boolean> {
  for await (const _ of source.pairs()) return true;
  return false;
}

/** Pairs held in memory (given by the caller or a built-in dataset). */
export function listPairs(pairs: readonly TextPair[], name: string): PairSource {
  return {
    name,
    async *pairs() {
      yield* pairs;
    },
  };
}

/** The pairs of `source` that `keep` accepts. */
export function filterPairs(source: PairSource, keep: (pair: TextPair) => boolean): PairSource {
  return {
    name: source.name,
    async *pairs() {
      for await (const pair of source.pairs()) if (keep(pair)) yield pair;
    },
  };
}
