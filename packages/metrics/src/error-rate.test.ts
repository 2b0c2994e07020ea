import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editDistance } from './edit-distance.js';
import { characterErrorRate, tokenErrorRate, wordErrorRate } from './error-rate.js';
import { exactMatch } from './exact-match.js';

/** Plain recursive definition, memoised: the oracle for the fast version. */
function referenceDistance(a: string, b: string): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length) return b.length - j;
    if (j === b.length) return a.length - i;
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const value = Math.min(go(i + 1, j) + 1, go(i, j + 1) + 1, go(i + 1, j + 1) + (a[i] === b[j] ? 0 : 1));
    memo.set(key, value);
    return value;
  };
  return go(0, 0);
}

describe('editDistance', () => {
  it('knows textbook cases', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('flaw', 'lawn')).toBe(2);
    expect(editDistance([1, 2, 3], [1, 2, 3])).toBe(0);
  });

  it('equals the recursive definition and is symmetric', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 9, unit: fc.constantFrom('a', 'b', 'c') }),
        fc.string({ maxLength: 9, unit: fc.constantFrom('a', 'b', 'c') }),
        (a, b) => {
          const d = editDistance(a, b);
          expect(d).toBe(referenceDistance(a, b));
          expect(editDistance(b, a)).toBe(d);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('error rates', () => {
  it('sums edits and reference lengths over the corpus', () => {
    const r = wordErrorRate(['the cat sat', 'a dog'], [['the cat sat down'], ['the dog']]);
    expect(r.errors).toBe(2);
    expect(r.referenceLength).toBe(6);
    expect(r.rate).toBeCloseTo(2 / 6, 12);
  });

  it('scores each hypothesis against its closest reference', () => {
    const r = tokenErrorRate(
      [[1, 2, 3]],
      [
        [
          [9, 9, 9, 9],
          [1, 2, 4],
        ],
      ],
    );
    expect(r).toEqual({ rate: 1 / 3, errors: 1, referenceLength: 3 });
  });

  it('counts characters as code points', () => {
    expect(characterErrorRate(['héllo😀'], [['hello😀']]).errors).toBe(1);
    expect(characterErrorRate(['abc'], [['abc']]).rate).toBe(0);
  });

  it('rejects references of the wrong shape', () => {
    expect(() => wordErrorRate(['a', 'b'], [['a']])).toThrow(/2 hypotheses but 1 reference lists/);
    expect(() => characterErrorRate(['a'], [[]])).toThrow(/no references/);
  });
});

describe('exactMatch', () => {
  it('counts a hypothesis as correct if it equals any reference, ignoring spacing', () => {
    const m = exactMatch(['R EH1 D', 'R IY1  D ', 'X'], [['R IY1 D', 'R EH1 D'], ['R IY1 D', 'R EH1 D'], ['Y']]);
    expect(m.correct).toEqual([true, true, false]);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    expect(exactMatch([], []).accuracy).toBe(0);
  });
});
