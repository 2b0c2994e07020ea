import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnMerges } from './bpe-merges.js';

/** Reference learner: recounts every pair of every word before each merge. */
function naiveMerges(words: number[][], counts: number[], symbols: string[], maxSymbols: number, minFrequency: number) {
  const table = symbols.slice();
  const merges: [string, string][] = [];
  const SHIFT = 2 ** 21;
  while (table.length < maxSymbols) {
    const pairCounts = new Map<number, number>();
    words.forEach((w, i) => {
      for (let j = 0; j + 1 < w.length; j++) pairCounts.set(w[j] * SHIFT + w[j + 1], (pairCounts.get(w[j] * SHIFT + w[j + 1]) ?? 0) + counts[i]);
    });
    let best = -1;
    let bestCount = 0;
    for (const [key, count] of pairCounts) {
      if (count > bestCount || (count === bestCount && key < best)) [best, bestCount] = [key, count];
    }
    if (best < 0 || bestCount < minFrequency) break;
    const a = Math.floor(best / SHIFT);
    const b = best - a * SHIFT;
    const merged = table[a] + table[b];
    let c = table.indexOf(merged);
    if (c < 0) c = table.push(merged) - 1;
    merges.push([table[a], table[b]]);
    words = words.map((w) => {
      const out: number[] = [];
      for (let j = 0; j < w.length; ) {
        if (j + 1 < w.length && w[j] === a && w[j + 1] === b) {
          out.push(c);
          j += 2;
        } else out.push(w[j++]);
      }
      return out;
    });
  }
  return { symbols: table, merges };
}

describe('learnMerges', () => {
  it('learns exactly the merges of a full recount per merge (incremental counts are exact)', () => {
    const alphabet = ['a', 'b', 'c', 'd'];
    const word = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 9 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(word, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 4, max: 30 }),
        fc.integer({ min: 1, max: 3 }),
        (entries, maxSymbols, minFrequency) => {
          const expected = naiveMerges(
            entries.map(([w]) => w),
            entries.map(([, n]) => n),
            alphabet,
            maxSymbols,
            minFrequency,
          );
          const actual = learnMerges({
            words: entries.map(([w]) => Int32Array.from(w)),
            counts: entries.map(([, n]) => n),
            symbols: alphabet,
            maxSymbols,
            minFrequency,
            combine: (x, y) => x + y,
          });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('merges overlapping runs left to right (aaaa → aa aa)', () => {
    const words = [Int32Array.from([0, 0, 0, 0])];
    const result = learnMerges({ words, counts: [1], symbols: ['a'], maxSymbols: 3, minFrequency: 1, combine: (x, y) => x + y });
    expect(result.merges).toEqual([
      ['a', 'a'],
      ['aa', 'aa'],
    ]);
    expect(Array.from(words[0])).toEqual([2]);
  });

  it('stops at minFrequency', () => {
    const result = learnMerges({
      words: [Int32Array.from([0, 1]), Int32Array.from([1, 0])],
      counts: [3, 1],
      symbols: ['a', 'b'],
      maxSymbols: 10,
      minFrequency: 2,
      combine: (x, y) => x + y,
    });
    expect(result.merges).toEqual([['a', 'b']]);
  });
});
