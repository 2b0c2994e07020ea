import { describe, expect, it } from 'vitest';
import { corpusChrF } from './chrf.js';

describe('corpusChrF', () => {
  it("matches sacreBLEU's README example (chrF2 = 59.73, two references)", () => {
    const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    const a = ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'];
    const b = ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'];
    expect(
      corpusChrF(
        hyps,
        a.map((r, i) => [r, b[i]]),
      ).score,
    ).toBeCloseTo(59.73, 2);
  });

  it('matches the Hugging Face evaluate chrF metric card example (84.642…)', () => {
    const hyps = ['The relationship between cats and dogs is not exactly friendly.', 'a good bookshop is just a genteel black hole that knows how to read.'];
    const refs = [
      ['The relationship between dogs and cats is not exactly friendly.'],
      ['A good bookshop is just a genteel Black Hole that knows how to read.'],
    ];
    expect(corpusChrF(hyps, refs).score).toBeCloseTo(84.64214891738334, 9);
  });

  it('is 100 for identical text, ignores whitespace, and rises with lowercase on case-only errors', () => {
    expect(corpusChrF(['hello world'], [['hello world']]).score).toBeCloseTo(100, 10);
    expect(corpusChrF(['helloworld'], [['hello  world']]).score).toBeCloseTo(100, 10);
    const cased = corpusChrF(['Hello World'], [['hello world']]).score;
    expect(corpusChrF(['Hello World'], [['hello world']], { lowercase: true }).score).toBeGreaterThan(cased);
  });

  it('picks the best reference per hypothesis', () => {
    const single = corpusChrF(['abcdef'], [['zzzzzz']]).score;
    const multi = corpusChrF(['abcdef'], [['zzzzzz', 'abcdef']]).score;
    expect(single).toBe(0);
    expect(multi).toBeCloseTo(100, 10);
  });

  it('supports chrF++ word n-grams and validates options', () => {
    const plus = corpusChrF(['the cat sat.'], [['the cat sat.']], { wordOrder: 2 });
    expect(plus.score).toBeCloseTo(100, 10);
    expect(() => corpusChrF(['a'], [['a']], { charOrder: 0 })).toThrow(/charOrder/);
    expect(() => corpusChrF(['a'], [['a']], { beta: 0 })).toThrow(/beta/);
  });
});
