// corpusChrF against sacreBLEU 2.6's own scores (fixtures/chrf-sacrebleu.json,
// written by fixtures/make-chrf-fixtures.py): chrF, chrF++ (word bigrams, with
// punctuation split from words), lowercased and β = 1, on 40 corpora of French
// sentences with one or two references each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ChrFOptions, corpusChrF } from '../src/chrf.js';

interface Case {
  hypotheses: string[];
  references: string[][];
  scores: Record<string, number>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/chrf-sacrebleu.json', import.meta.url), 'utf8')) as { sacrebleu: string; cases: Case[] };

const VARIANTS: Record<string, ChrFOptions> = {
  chrF: {},
  'chrF++': { wordOrder: 2 },
  'chrF++ lowercase': { wordOrder: 2, lowercase: true },
  'chrF1++': { wordOrder: 2, beta: 1 },
};

describe(`corpusChrF equals sacreBLEU ${fixture.sacrebleu}`, () => {
  for (const [name, options] of Object.entries(VARIANTS)) {
    it(`${name} on all ${fixture.cases.length} corpora`, () => {
      const differences = fixture.cases.map((c, i) => ({ corpus: i, ours: corpusChrF(c.hypotheses, c.references, options).score, sacrebleu: c.scores[name] }));
      const off = differences.filter((d) => Math.abs(d.ours - d.sacrebleu) > 1e-9);
      expect(off).toEqual([]);
    });
  }

  it('a hypothesis whose reference has no n-grams of an order counts none of its own (sacreBLEU: "no hits without a reference n-gram")', () => {
    // "Oui" has no word bigram: the hypothesis's bigram is not counted against precision.
    const score = corpusChrF(['Oui merci', 'le chat dort'], [['Oui'], ['le chat dort']], { wordOrder: 2 }).score;
    // sacreBLEU 2.6: CHRF(word_order=2).corpus_score(['Oui merci', 'le chat dort'], [['Oui', 'le chat dort']]).score
    expect(score).toBeCloseTo(96.75964318533296, 10);
  });
});
