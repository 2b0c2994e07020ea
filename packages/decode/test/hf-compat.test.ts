import { DecodeOptionError, type EarlyStopping, generate, lengthPenaltyDivisor } from '@seqloom/decode';
import { randomTableModel, scriptedModel, type TableModelSpec } from '@seqloom/decode/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// compat: 'hf' — Hugging Face generate()'s beam search, checked against a
// direct, unoptimised transcription of its rules (sort everything, no heap).

type Logits = (prefix: readonly number[]) => Float32Array;
interface RefHyp {
  ids: number[];
  logProb: number;
  score: number;
}

function logSoftmax(z: Float32Array): number[] {
  const max = Math.max(...z);
  const lse = max + Math.log(z.reduce((s, x) => s + Math.exp(x - max), 0));
  return Array.from(z, (x) => x - lse);
}

/** HF beam search for one source: 2·W candidates, stop tokens finish within rank W, early stopping per mode. */
function referenceBeam(logits: Logits, o: { V: number; eos: number; W: number; maxLength: number; alpha: number; early: EarlyStopping }): RefHyp[] {
  const score = (lp: number, len: number) => lp / len ** o.alpha;
  let running: { ids: number[]; logProb: number }[] = [{ ids: [], logProb: 0 }];
  let finished: RefHyp[] = [];
  for (;;) {
    const cands = running.flatMap((b) => logSoftmax(logits(b.ids)).map((lp, v) => ({ ids: [...b.ids, v], logProb: b.logProb + lp })));
    cands.sort((a, b) => b.logProb - a.logProb);
    const top = cands.slice(0, 2 * o.W);
    const atLimit = top[0].ids.length >= o.maxLength;
    const ends = (c: { ids: number[] }) => atLimit || c.ids[c.ids.length - 1] === o.eos;
    top.slice(0, o.W).forEach((c) => {
      if (ends(c) && !(o.early === 'width' && finished.length >= o.W)) finished.push({ ...c, score: score(c.logProb, c.ids.length) });
    });
    finished = finished.sort((a, b) => b.score - a.score).slice(0, o.W);
    running = top.filter((c) => !ends(c)).slice(0, o.W);
    if (running.length === 0) break;
    if (finished.length >= o.W) {
      if (o.early === 'width') break;
      const best = running[0];
      const len = o.early === 'bound' && o.alpha > 0 ? o.maxLength : best.ids.length;
      if (score(best.logProb, len) <= finished[finished.length - 1].score) break;
    }
  }
  return finished;
}

describe("compat: 'hf' beam search", () => {
  it("equals a direct transcription of generate()'s rules", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          V: fc.integer({ min: 4, max: 9 }),
          W: fc.integer({ min: 1, max: 4 }),
          maxLength: fc.integer({ min: 1, max: 6 }),
          alpha: fc.constantFrom(-0.5, 0, 0.6, 1, 2),
          early: fc.constantFrom<EarlyStopping>('width', 'heuristic', 'bound'),
          eosBias: fc.integer({ min: -1, max: 2 }),
        }),
        async ({ seed, V, W, maxLength, alpha, early, eosBias }) => {
          fc.pre(2 * W <= V);
          const model = randomTableModel({ vocabSize: V, seed, eosBias });
          // the table model's own logits function (float32, as the decoder receives them)
          const { spec } = model as unknown as { spec: TableModelSpec };
          const logits: Logits = (prefix) => Float32Array.from(spec.logits([], prefix));
          const want = referenceBeam(logits, { V, eos: model.eosId, W, maxLength, alpha, early });
          const [got] = await generate(model, [[]], {
            compat: 'hf',
            strategy: 'beam',
            beamWidth: W,
            numReturn: W,
            maxNewTokens: maxLength,
            lengthPenalty: 'power',
            lengthPenaltyAlpha: alpha,
            earlyStopping: early,
          });
          expect(got.hypotheses.map((h) => h.ids)).toEqual(want.map((h) => h.ids));
          got.hypotheses.forEach((h, i) => expect(h.score).toBeCloseTo(want[i].score, 5));
          expect(model.stats.liveStates).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("processors see log-probabilities and nothing is renormalised: a banned token's mass is lost", async () => {
    // step 0: tokens 3 and 4 equally likely; 3 is banned
    const model = scriptedModel([
      [-9, -9, -9, 0, 0],
      [-9, -9, 5, -9, -9],
    ]);
    const base = { strategy: 'beam' as const, beamWidth: 2, maxNewTokens: 3, bannedSequences: [[3]] };
    const [hf] = await generate(model, [[]], { ...base, compat: 'hf' });
    const [own] = await generate(model, [[]], base);
    expect(hf.best.ids).toEqual([4, 2]);
    expect(hf.best.tokenLogProbs[0]).toBeCloseTo(Math.log(0.5), 3);
    expect(own.best.tokenLogProbs[0]).toBeCloseTo(0, 3);
  });

  it('forcedBosId and forcedEosId force a token scoring 0 at the first and the last position', async () => {
    const model = randomTableModel({ vocabSize: 8, seed: 5, eosBias: -3 });
    for (const compat of ['seqloom', 'hf'] as const) {
      const [r] = await generate(model, [[]], { compat, strategy: 'beam', beamWidth: 2, maxNewTokens: 4, forcedBosId: 6, forcedEosId: 2 });
      for (const h of r.hypotheses) {
        expect(h.ids[0]).toBe(6);
        expect(h.tokenLogProbs[0]).toBe(0);
        if (h.ids.length === 4) {
          expect(h.ids[3]).toBe(2);
          expect(h.tokenLogProbs[3]).toBe(0);
        }
      }
    }
  });

  it('the power length penalty divides by len^α', () => {
    expect(lengthPenaltyDivisor('power', 4, 0.5)).toBe(2);
    expect(lengthPenaltyDivisor('power', 0, 2)).toBe(1);
    expect(lengthPenaltyDivisor('power', 3, 1)).toBe(lengthPenaltyDivisor('avg', 3, 0));
  });

  it("diverse beam search is refused under Hugging Face's conventions", async () => {
    const model = randomTableModel({ vocabSize: 8, seed: 1 });
    const err = await generate(model, [[]], { compat: 'hf', strategy: 'beam', beamWidth: 4, beamGroups: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DecodeOptionError);
    expect((err as Error).message).toMatch(/beamGroups: diverse beam search.*compat: 'hf'/);
  });

  it("earlyStopping 'heuristic' stops once the best live beam at its length cannot win", async () => {
    const model = randomTableModel({ vocabSize: 8, seed: 9, eosBias: 1 });
    const opts = { strategy: 'beam' as const, beamWidth: 3, maxNewTokens: 8, lengthPenalty: 'power' as const, lengthPenaltyAlpha: 1 };
    const heuristic = await generate(model, [[]], { ...opts, earlyStopping: 'heuristic' });
    const bound = await generate(model, [[]], { ...opts, earlyStopping: 'bound' });
    // the exact bound explores at least as far, so its best is at least as good
    expect(bound[0].best.score).toBeGreaterThanOrEqual(heuristic[0].best.score - 1e-12);
  });
});
