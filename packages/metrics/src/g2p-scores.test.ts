import { describe, expect, it } from 'vitest';
import { g2pScores, phonemesOf } from './g2p-scores.js';
import { MetricError } from './metric-error.js';

describe('g2pScores', () => {
  const references = [['R EH D', 'R IY D'], ['K AE T'], ['T AH M EY T OW', 'T AH M AA T OW']];

  it('counts a word right when it equals any reference, and sums edits to the closest reference', () => {
    const s = g2pScores(['R IY D', 'K AE', 'T AH M AA T OW'], references);
    expect(s.correct).toEqual([true, false, true]);
    expect(s.wordErrors).toBe(1);
    expect(s.wordErrorRate).toBeCloseTo(1 / 3, 12);
    // 0 edits to R IY D (3), 1 edit to K AE T (3), 0 edits to the second reference (6)
    expect([s.phonemeErrors, s.referencePhonemes]).toEqual([1, 12]);
    expect(s.phonemeErrorRate).toBeCloseTo(1 / 12, 12);
    expect(s.oracle).toBeUndefined();
  });

  it('divides by the closest reference, not the first or the longest', () => {
    // 'AH B' is 1 edit from 'AH' (length 1) and 3 from 'X Y Z W' (length 4)
    const s = g2pScores(['AH B'], [['X Y Z W', 'AH']]);
    expect([s.phonemeErrors, s.referencePhonemes]).toEqual([1, 1]);
    // on a tie in edits the longer reference counts
    const tie = g2pScores(['A B'], [['A', 'A B C']]);
    expect([tie.phonemeErrors, tie.referencePhonemes]).toEqual([1, 3]);
  });

  it('compares phoneme sequences, not raw strings', () => {
    const s = g2pScores(['  K  AE T '], [['K AE T']]);
    expect(s.correct).toEqual([true]);
    expect(s.phonemeErrors).toBe(0);
    expect(phonemesOf(' K  AE\tT ')).toEqual(['K', 'AE', 'T']);
    expect(phonemesOf('  ')).toEqual([]);
  });

  it('gives the oracle word error rate over n-best lists', () => {
    const nBest = [['R AY D', 'R EH D'], ['K AE', 'K AA T'], ['T AH M AA T OW']];
    const s = g2pScores(['R AY D', 'K AE', 'T AH M AA T OW'], references, { nBest });
    expect(s.wordErrors).toBe(2);
    expect(s.oracle).toEqual({ nBest: 2, wordErrors: 1, wordErrorRate: 1 / 3, correct: [true, false, true] });
    expect(s.oracle!.wordErrorRate).toBeLessThanOrEqual(s.wordErrorRate);
  });

  it('handles an empty test set and empty hypotheses', () => {
    expect(g2pScores([], [])).toMatchObject({ words: 0, wordErrorRate: 0, phonemeErrorRate: 0 });
    const s = g2pScores([''], [['K AE T']]);
    expect([s.wordErrors, s.phonemeErrors, s.referencePhonemes]).toEqual([1, 3, 3]);
  });

  it('names the bad argument', () => {
    expect(() => g2pScores(['A'], [])).toThrow(MetricError);
    expect(() => g2pScores(['A'], [[]])).toThrow(/g2pScores: hypothesis 0 has no references/);
    expect(() => g2pScores(['A'], [['A']], { nBest: [] })).toThrow(/got 1 hypotheses but 0 n-best lists/);
    expect(() => g2pScores(['A'], [['A']], { nBest: [[]] })).toThrow(/word 0 has an empty n-best list/);
  });
});
