import { describe, expect, it } from 'vitest';
import { corpusBleu } from './bleu.js';
import { MetricError } from './metric-error.js';
import { tokenize13a } from './tokenize-13a.js';

// The worked example published in sacreBLEU's README (sacrebleu 2.x, default settings).
const hypotheses = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const refsA = ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'];
const refsB = ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'];
const perHypothesis = (a: string[], b: string[]) => a.map((r, i) => [r, b[i]]);

describe('tokenize13a', () => {
  it('splits punctuation but keeps apostrophes, decimals and thousands', () => {
    expect(tokenize13a("It wasn't surprising.")).toBe("It wasn't surprising .");
    expect(tokenize13a('Pay $3.50, or 1,000 (now)!')).toBe('Pay $ 3.50 , or 1,000 ( now ) !');
    expect(tokenize13a('a &quot;b&quot; &amp; c')).toBe('a " b " & c');
    expect(tokenize13a('1990-2000')).toBe('1990 - 2000');
  });
});

describe('corpusBleu', () => {
  it('matches sacreBLEU on its README example (two references)', () => {
    const s = corpusBleu(hypotheses, perHypothesis(refsA, refsB));
    expect(s.score).toBeCloseTo(48.53, 2);
    expect(s.precisions.map((p) => Number(p.toFixed(1)))).toEqual([82.4, 50.0, 45.5, 37.5]);
    expect(s.brevityPenalty).toBeCloseTo(0.943, 3);
    expect(s.hypothesisLength).toBe(17);
    expect(s.referenceLength).toBe(18);
  });

  it('matches sacreBLEU with a variable number of references (empty ones ignored)', () => {
    const s = corpusBleu(hypotheses, perHypothesis(['', refsA[1], refsA[2]], refsB));
    expect(s.score).toBeCloseTo(29.44, 2);
    expect(s.referenceLength).toBe(19);
    expect(s.precisions.map((p) => Number(p.toFixed(1)))).toEqual([82.4, 42.9, 27.3, 12.5]);
  });

  it('is 100 for identical text and 0 for disjoint text without smoothing', () => {
    expect(corpusBleu(['a b c d e'], [['a b c d e']]).score).toBeCloseTo(100, 10);
    expect(corpusBleu(['x y z w'], [['a b c d']], { smoothing: 'none' }).score).toBe(0);
  });

  it('applies exp smoothing to zero counts (sacreBLEU semantics)', () => {
    // 2 unigram hits of 4, then no bigram (of 3), 3-gram (of 2) or 4-gram (of 1) hits:
    // each zero order halves the pseudo-count again.
    const s = corpusBleu(['a x b y'], [['a b c d']], { tokenize: 'none' });
    const expected = [50, 100 / (2 * 3), 100 / (4 * 2), 100 / (8 * 1)];
    s.precisions.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 12));
    expect(s.score).toBeCloseTo(100 * Math.exp(expected.reduce((a, p) => a + Math.log(p / 100), 0) / 4), 10);
  });

  it('drops orders no hypothesis reaches with effectiveOrder', () => {
    const s = corpusBleu(['a b c'], [['a b c']], { tokenize: 'none', effectiveOrder: true });
    expect(s.score).toBeCloseTo(100, 10);
    expect(corpusBleu(['a b c'], [['a b c']], { tokenize: 'none' }).score).toBe(0);
  });

  it('names the problem for mismatched inputs and bad options', () => {
    expect(() => corpusBleu(['a'], [])).toThrow(MetricError);
    expect(() => corpusBleu(['a'], [[]])).toThrow(/hypothesis 0 has no references/);
    expect(() => corpusBleu(['a'], [['']])).toThrow(/every reference of hypothesis 0 is empty/);
    expect(() => corpusBleu(['a'], [['a']], { maxOrder: 0 })).toThrow(/maxOrder/);
  });
});
