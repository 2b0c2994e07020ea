import { averageProbabilities, DecodeModelError, EnsembleStepModel, generate, type StepModel } from '@seqloom/decode';
import { bigramModel, randomTableModel, scriptedModel, TableStepModel } from '@seqloom/decode/testing';
import { describe, expect, it } from 'vitest';

const softmax = (row: readonly number[]): number[] => {
  const max = Math.max(...row);
  const e = row.map((x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('averageProbabilities', () => {
  it('is the log of the mean of the members’ softmax distributions, already normalised', () => {
    const a = [2, 0, -1, 0.5];
    const b = [-3, 1, 1, 0];
    const out = averageProbabilities([Float32Array.from(a), Float32Array.from(b)], 1, 4);
    const pa = softmax(a);
    const pb = softmax(b);
    for (let v = 0; v < 4; v++) expect(out[v]).toBeCloseTo(Math.log((pa[v] + pb[v]) / 2), 5);
    // normalised: a second log-softmax (the decode loop's) changes nothing
    expect(out.reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 6);
  });

  it('is invariant to a constant shift of one member’s logits (raw logits are normalised per member)', () => {
    const a = Float32Array.from([1, 2, 3]);
    const shifted = Float32Array.from([101, 102, 103]);
    const b = Float32Array.from([0, 0, 5]);
    const x = averageProbabilities([a, b], 1, 3);
    const y = averageProbabilities([shifted, b], 1, 3);
    for (let v = 0; v < 3; v++) expect(x[v]).toBeCloseTo(y[v], 5);
  });

  it('a token masked by every member stays masked; masked by one, it keeps the other’s share', () => {
    const out = averageProbabilities([Float32Array.from([0, -Infinity, -Infinity]), Float32Array.from([0, 0, -Infinity])], 1, 3);
    expect(out[2]).toBe(-Infinity);
    expect(out[1]).toBeCloseTo(Math.log(0.25), 6);
    expect(out[0]).toBeCloseTo(Math.log(0.75), 6);
  });

  it('a NaN logit of a member makes the row NaN (the loop reports it); a wrong length is an error', () => {
    const out = averageProbabilities([Float32Array.from([0, NaN]), Float32Array.from([0, 0])], 1, 2);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(() => averageProbabilities([new Float32Array(3), new Float32Array(4)], 1, 4)).toThrow(
      /member 0 returned 3 logits; expected rows × vocabSize = 1 × 4/,
    );
  });
});

describe('EnsembleStepModel', () => {
  it('an ensemble of one model decodes exactly as the model (greedy and beam)', async () => {
    const model = randomTableModel({ vocabSize: 7, seed: 11, eosBias: 0.5 });
    const sources = [[1, 2], [3], [4, 5, 6]];
    for (const options of [{}, { strategy: 'beam' as const, beamWidth: 3, numReturn: 2 }]) {
      const alone = await generate(model, sources, { ...options, maxNewTokens: 8 });
      const ensemble = await generate(new EnsembleStepModel([model]), sources, { ...options, maxNewTokens: 8 });
      expect(ensemble.map((r) => r.hypotheses.map((h) => h.ids))).toEqual(alone.map((r) => r.hypotheses.map((h) => h.ids)));
      ensemble.forEach((r, i) => expect(r.best.logProb).toBeCloseTo(alone[i].best.logProb, 5));
    }
  });

  it('greedy follows the averaged distribution, which neither member alone would pick', async () => {
    // step 0: A puts 0.62 on token 3, B 0.62 on token 4, both 0.38 on token 5: the mean gives 3 and 4 0.31 each, 5 0.38
    const L = -30;
    const a = scriptedModel([
      [L, L, L, 5, L, 4.5, L],
      [L, L, 9, L, L, L, L],
    ]);
    const b = scriptedModel([
      [L, L, L, L, 5, 4.5, L],
      [L, L, 9, L, L, L, L],
    ]);
    const [alone] = await generate(a, [[]], { maxNewTokens: 4 });
    expect(alone.best.ids[0]).toBe(3);
    const [r] = await generate(new EnsembleStepModel([a, b]), [[]], { maxNewTokens: 4 });
    expect(r.best.ids).toEqual([5, 2]);
    const pa = softmax([5, 4.5]);
    expect(r.best.tokenLogProbs[0]).toBeCloseTo(Math.log(pa[1]), 4); // both members give token 5 the same share
  });

  it('beam search over an ensemble finds the exhaustive optimum of the averaged model', async () => {
    const a = randomTableModel({ vocabSize: 5, seed: 1, eosBias: 1 });
    const b = randomTableModel({ vocabSize: 5, seed: 2, eosBias: 1 });
    const ensemble = new EnsembleStepModel([a, b]);
    const sources = [[1], [2, 3]];
    const exact = await generate(ensemble, sources, { strategy: 'exhaustive', maxNewTokens: 4 });
    const beam = await generate(ensemble, sources, { strategy: 'beam', beamWidth: 8, maxNewTokens: 4 });
    beam.forEach((r, i) => expect(r.best.score).toBeCloseTo(exact[i].best.score, 5));
    const sampled = await generate(ensemble, sources, { strategy: 'sample', seed: 3, numReturn: 3, maxNewTokens: 4 });
    expect(sampled.every((r) => r.hypotheses.length === 3)).toBe(true);
    expect(a.stats.liveStates).toBe(0);
    expect(b.stats.liveStates).toBe(0);
  });

  it('passes on the first member’s attention', async () => {
    const a = randomTableModel({ vocabSize: 6, seed: 4, attention: true });
    const b = randomTableModel({ vocabSize: 6, seed: 5 });
    const [r] = await generate(new EnsembleStepModel([a, b]), [[1, 2, 3]], { maxNewTokens: 3 });
    const [alone] = await generate(a, [[1, 2, 3]], { maxNewTokens: 3 });
    expect(r.best.attention?.length).toBe(r.best.ids.length);
    if (r.best.ids[0] === alone.best.ids[0]) expect(Array.from(r.best.attention![0])).toEqual(Array.from(alone.best.attention![0]));
  });

  it('refuses members with different vocabularies or special ids, naming them', () => {
    const a = bigramModel([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const b = bigramModel([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    expect(() => new EnsembleStepModel([a, b])).toThrow(DecodeModelError);
    expect(() => new EnsembleStepModel([a, b])).toThrow(/member 1 has vocabSize 4 but member 0 has 3/);
    const c = bigramModel(
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      { eosId: 0, padId: 2 },
    );
    expect(() => new EnsembleStepModel([a, c])).toThrow(/member 1 has eosId 0 but member 0 has 2/);
    expect(() => new EnsembleStepModel([])).toThrow(/at least one member/);
  });

  it('disposes every member state when a member fails mid-step', async () => {
    const good = randomTableModel({ vocabSize: 5, seed: 6 });
    let calls = 0;
    const failing = new TableStepModel({
      vocabSize: 5,
      bosId: 1,
      eosId: 2,
      padId: 0,
      logits: () => {
        if (++calls > 1) throw new Error('member broke');
        return new Float32Array(5);
      },
    });
    const ensemble = new EnsembleStepModel([good, failing] as StepModel<unknown>[]);
    await expect(generate(ensemble, [[1]], { maxNewTokens: 5 })).rejects.toThrow(/member broke/);
    expect(good.stats.liveStates).toBe(0);
    expect(failing.stats.liveStates).toBe(0);
  });
});
