import { describe, expect, it } from 'vitest';
import { scoreGenerations } from './score-generations.js';

describe('scoreGenerations', () => {
  it('reports every metric with multi-reference credit', () => {
    const s = scoreGenerations({
      hypotheses: ['R IY D', 'K AE T'],
      references: [['R EH D', 'R IY D'], ['K AA T']],
      hypothesisTokens: [
        [5, 6, 7],
        [8, 9, 10],
      ],
      referenceTokens: [
        [
          [5, 11, 7],
          [5, 6, 7],
        ],
        [[8, 12, 10]],
      ],
    });
    expect(s.count).toBe(2);
    expect(s.exactMatch.accuracy).toBe(0.5);
    expect(s.tokenErrorRate).toEqual({ rate: 1 / 6, errors: 1, referenceLength: 6 });
    expect(s.wordErrorRate.rate).toBeCloseTo(1 / 6, 12);
    expect(s.characterErrorRate.errors).toBe(1); // AE → AA is one character
    // No 4-grams in 3-token outputs: plain BLEU is 0, effective-order BLEU is not.
    expect(s.bleu.score).toBe(0);
    const eff = scoreGenerations({ hypotheses: ['R IY D', 'K AE T'], references: [['R EH D', 'R IY D'], ['K AA T']] }, { bleu: { effectiveOrder: true } });
    expect(eff.bleu.score).toBeGreaterThan(30);
    expect(s.chrF.score).toBeGreaterThan(50);
  });

  it('omits the token error rate without ids and insists on both id lists', () => {
    expect(scoreGenerations({ hypotheses: ['a'], references: [['a']] }).tokenErrorRate).toBeUndefined();
    expect(() => scoreGenerations({ hypotheses: ['a'], references: [['a']], hypothesisTokens: [[1]] })).toThrow(/both hypothesisTokens and referenceTokens/);
  });
});
