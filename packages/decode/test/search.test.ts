import { type GenerationResult, generate, type LengthPenalty, lengthPenaltyDivisor } from '@seqloom/decode';
import { bigramModel, randomTableModel } from '@seqloom/decode/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enumerateAll } from './helpers/brute-force.js';

const modelArb = fc.record({
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  vocabSize: fc.integer({ min: 4, max: 7 }),
  eosBias: fc.integer({ min: -2, max: 2 }),
  source: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
});

const ids = (r: GenerationResult[]): number[][] => r.map((x) => x.best.ids);

describe('greedy', () => {
  it('follows the argmax of a bigram table and stops at eos', async () => {
    // pad 0, bos 1, eos 2; 1 → 3 → 4 → 2
    const L = -5;
    const table = [
      [0, L, L, L, L],
      [L, L, L, 3, 1],
      [L, L, 1, L, L],
      [L, L, 1, L, 4],
      [L, L, 3, 1, L],
    ];
    const model = bigramModel(table);
    const [r] = await generate(model, [[]], { maxNewTokens: 10 });
    expect(r.best.ids).toEqual([3, 4, 2]);
    expect(r.best.finishReason).toBe('eos');
    expect(r.best.tokenLogProbs).toHaveLength(3);
    expect(r.best.logProb).toBeCloseTo(
      r.best.tokenLogProbs.reduce((a, b) => a + b, 0),
      12,
    );
    expect(model.stats.liveStates).toBe(0);
  });

  it('drops finished rows: the model steps only live rows', async () => {
    const model = randomTableModel({ vocabSize: 6, seed: 3, eosBias: 1 });
    const sources = [[1], [2], [3], [4], [5], [6]];
    const results = await generate(model, sources, { maxNewTokens: 8 });
    const lengths = results.map((r) => r.best.ids.length);
    // Row r is stepped once per generated token (the eos step included).
    expect(model.stats.rowsStepped).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(model.stats.maxRows).toBe(sources.length);
    expect(model.stats.liveStates).toBe(0);
  });
});

describe('batching', () => {
  it('a source decodes the same alone or in a batch (greedy, beam, exhaustive)', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }), { minLength: 2, maxLength: 4 }), async (m, sources) => {
        const model = randomTableModel({ ...m, eosBias: 0.5 });
        for (const options of [{}, { strategy: 'beam', beamWidth: 3, numReturn: 2 }, { strategy: 'exhaustive', numReturn: 2 }] as const) {
          const opts = { ...options, maxNewTokens: 3 };
          const batch = await generate(model, sources, opts);
          for (let i = 0; i < sources.length; i++) {
            const [alone] = await generate(model, [sources[i]], opts);
            expect(batch[i].hypotheses.map((h) => h.ids)).toEqual(alone.hypotheses.map((h) => h.ids));
          }
        }
        expect(model.stats.liveStates).toBe(0);
      }),
      { numRuns: 20 },
    );
  });
});

describe('exhaustive search', () => {
  it('equals brute-force enumeration on small random models, for every length penalty', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, fc.constantFrom<LengthPenalty>('none', 'avg', 'wu'), fc.integer({ min: 1, max: 4 }), async (m, penalty, n) => {
        const model = randomTableModel({ ...m, eosBias: m.eosBias });
        const maxNewTokens = 3;
        const alpha = 0.8;
        const [r] = await generate(model, [m.source], {
          strategy: 'exhaustive',
          maxNewTokens,
          numReturn: n,
          lengthPenalty: penalty,
          lengthPenaltyAlpha: alpha,
        });
        const all = (await enumerateAll(model, m.source, maxNewTokens))
          .map((e) => ({ ...e, score: e.logProb / lengthPenaltyDivisor(penalty, e.ids.length, alpha) }))
          .sort((a, b) => b.score - a.score);
        expect(r.hypotheses.length).toBe(Math.min(n, all.length));
        r.hypotheses.forEach((h, i) => {
          expect(h.score).toBeCloseTo(all[i].score, 9);
          expect(h.finishReason).toBe(all.find((e) => e.ids.join() === h.ids.join())!.finishReason);
        });
        expect(r.best.ids).toEqual(all[0].ids);
        expect(model.stats.liveStates).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a search space larger than maxSearchSpace, saying how large it would be', async () => {
    const model = randomTableModel({ vocabSize: 50, seed: 1 });
    await expect(generate(model, [[]], { strategy: 'exhaustive', maxNewTokens: 6 })).rejects.toThrow(
      /would expand up to 2\.60e\+8 prefixes per source, more than maxSearchSpace \(100000\)/,
    );
    expect(model.stats.starts).toBe(0);
  });
});

describe('beam search', () => {
  it('with width 1 equals greedy', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (m) => {
        const model = randomTableModel(m);
        const sources = [m.source, [...m.source, 9]];
        const greedy = await generate(model, sources, { maxNewTokens: 6 });
        const beam = await generate(model, sources, { strategy: 'beam', beamWidth: 1, maxNewTokens: 6 });
        expect(ids(beam)).toEqual(ids(greedy));
        beam.forEach((r, i) => expect(r.best.logProb).toBeCloseTo(greedy[i].best.logProb, 12));
      }),
      { numRuns: 40 },
    );
  });

  it('with a width that keeps every hypothesis equals exhaustive search', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, fc.constantFrom<LengthPenalty>('none', 'avg', 'wu'), async (m, penalty) => {
        const model = randomTableModel(m);
        const maxNewTokens = 3;
        const width = m.vocabSize ** maxNewTokens;
        const opts = { maxNewTokens, lengthPenalty: penalty, numReturn: 3 } as const;
        const [beam] = await generate(model, [m.source], { ...opts, strategy: 'beam', beamWidth: width });
        const [exact] = await generate(model, [m.source], { ...opts, strategy: 'exhaustive' });
        expect(beam.hypotheses.map((h) => h.ids)).toEqual(exact.hypotheses.map((h) => h.ids));
        beam.hypotheses.forEach((h, i) => expect(h.score).toBeCloseTo(exact.hypotheses[i].score, 12));
      }),
      { numRuns: 25 },
    );
  });

  it('never scores below greedy (property over many random models, every length penalty)', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, fc.integer({ min: 2, max: 5 }), fc.constantFrom<LengthPenalty>('none', 'avg', 'wu'), async (m, width, penalty) => {
        const model = randomTableModel({ ...m, scale: 1.5 });
        const opts = { maxNewTokens: 7, lengthPenalty: penalty } as const;
        const [greedy] = await generate(model, [m.source], opts);
        const [beam] = await generate(model, [m.source], { ...opts, strategy: 'beam', beamWidth: width });
        expect(beam.best.score).toBeGreaterThanOrEqual(greedy.best.score - 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  it('returns n-best lists sorted by score and distinct, with scores matching the length penalty formula', async () => {
    for (const [penalty, alpha] of [
      ['none', 0],
      ['avg', 0],
      ['wu', 0.6],
      ['wu', 1.3],
    ] as const) {
      const model = randomTableModel({ vocabSize: 8, seed: 11, eosBias: 0.5 });
      const results = await generate(model, [[1, 2], [3]], {
        strategy: 'beam',
        beamWidth: 5,
        numReturn: 5,
        maxNewTokens: 6,
        lengthPenalty: penalty,
        lengthPenaltyAlpha: alpha,
      });
      for (const r of results) {
        expect(r.hypotheses).toHaveLength(5);
        expect(r.best).toBe(r.hypotheses[0]);
        expect(new Set(r.hypotheses.map((h) => h.ids.join())).size).toBe(5);
        for (let i = 1; i < 5; i++) expect(r.hypotheses[i - 1].score).toBeGreaterThanOrEqual(r.hypotheses[i].score);
        for (const h of r.hypotheses) {
          const len = h.ids.length;
          const lp = penalty === 'none' ? 1 : penalty === 'avg' ? len : ((5 + len) / 6) ** alpha;
          expect(h.score).toBeCloseTo(h.logProb / lp, 12);
          expect(h.logProb).toBeCloseTo(
            h.tokenLogProbs.reduce((a, b) => a + b, 0),
            12,
          );
        }
      }
      expect(model.stats.liveStates).toBe(0);
    }
  });

  it("'width' early stopping stops no later than 'bound', and 'bound' is never worse", async () => {
    for (let seed = 0; seed < 20; seed++) {
      const a = randomTableModel({ vocabSize: 7, seed, eosBias: 0.5 });
      const b = randomTableModel({ vocabSize: 7, seed, eosBias: 0.5 });
      const opts = { strategy: 'beam', beamWidth: 3, maxNewTokens: 8, lengthPenalty: 'avg' } as const;
      const [bound] = await generate(a, [[seed]], { ...opts, earlyStopping: 'bound' });
      const [width] = await generate(b, [[seed]], { ...opts, earlyStopping: 'width' });
      expect(b.stats.steps).toBeLessThanOrEqual(a.stats.steps);
      expect(bound.best.score).toBeGreaterThanOrEqual(width.best.score - 1e-12);
    }
  });

  it('diverse beam search spreads groups over different first tokens', async () => {
    const model = randomTableModel({ vocabSize: 10, seed: 5, scale: 3 });
    const opts = { strategy: 'beam', beamWidth: 4, numReturn: 4, maxNewTokens: 1 } as const;
    const [plain] = await generate(model, [[]], { ...opts, beamGroups: 1 });
    const [diverse] = await generate(model, [[]], { ...opts, beamGroups: 4, diversityStrength: 100 });
    const firstTokens = (r: GenerationResult): number[] => r.hypotheses.map((h) => h.ids[0]);
    expect(new Set(firstTokens(diverse)).size).toBe(4);
    // Without the penalty, one group of four keeps the same four best tokens.
    expect(new Set(firstTokens(plain))).toEqual(new Set(firstTokens(diverse)));
    // λ = 0: every group runs the same search; the merged n-best list holds each sequence once.
    const [same] = await generate(model, [[]], { ...opts, beamGroups: 4, diversityStrength: 0 });
    expect(same.hypotheses.map((h) => h.ids)).toEqual([plain.best.ids]);
  });

  it('diverse groups keep n-best lists sorted and distinct over longer outputs', async () => {
    const model = randomTableModel({ vocabSize: 12, seed: 21, eosBias: 0.5 });
    const [r] = await generate(model, [[4]], { strategy: 'beam', beamWidth: 6, beamGroups: 3, diversityStrength: 2, numReturn: 6, maxNewTokens: 6 });
    expect(new Set(r.hypotheses.map((h) => h.ids.join())).size).toBe(r.hypotheses.length);
    for (let i = 1; i < r.hypotheses.length; i++) expect(r.hypotheses[i - 1].score).toBeGreaterThanOrEqual(r.hypotheses[i].score);
    expect(model.stats.maxRows).toBeLessThanOrEqual(6);
    expect(model.stats.liveStates).toBe(0);
  });

  it('steps only live beams and disposes every state', async () => {
    const model = randomTableModel({ vocabSize: 9, seed: 2, eosBias: 1 });
    await generate(model, [[1], [2], [3]], { strategy: 'beam', beamWidth: 3, maxNewTokens: 10 });
    expect(model.stats.maxRows).toBeLessThanOrEqual(9);
    expect(model.stats.liveStates).toBe(0);
  });
});
