import { type GenerateOptions, generate } from '@seqloom/decode';
import { randomTableModel, scriptedModel } from '@seqloom/decode/testing';
import { describe, expect, it } from 'vitest';

// pad 0 is masked by the loop, so the scripted logits give it -Infinity too.
const LOGITS = [-Infinity, 0.3, 1.2, -0.4, 2.0, 0.9, -1.5, 1.6, 0.1, -0.8];
const DRAWS = 20_000;

/** χ² critical values at p = 0.001 by degrees of freedom. */
const CHI2_999 = [NaN, 10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59];

/** Reference processing, written independently with full sorts. */
function softmax(xs: number[]): number[] {
  const max = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
function keepTop(probs: number[], key: number[], p: number): number[] {
  const order = probs
    .map((_, i) => i)
    .filter((i) => probs[i] > 0)
    .sort((a, b) => key[b] - key[a] || a - b);
  const keep = new Set<number>();
  let acc = 0;
  for (const i of order) {
    if (acc >= p) break;
    keep.add(i);
    acc += probs[i];
  }
  return probs.map((q, i) => (keep.has(i) ? q : 0));
}
function normalise(ws: number[]): number[] {
  const s = ws.reduce((a, b) => a + b, 0);
  return ws.map((w) => w / s);
}
const reference = {
  temperature: (t: number) => softmax(LOGITS.map((x) => x / t)),
  topK: (k: number) => {
    const kth = [...LOGITS].sort((a, b) => b - a)[k - 1];
    return softmax(LOGITS.map((x) => (x >= kth ? x : -Infinity)));
  },
  topP: (p: number) => {
    const q = softmax(LOGITS);
    return normalise(keepTop(q, q, p));
  },
  minP: (p: number) => {
    const q = softmax(LOGITS);
    const m = Math.max(...q);
    return normalise(q.map((x) => (x >= p * m ? x : 0)));
  },
  typicalP: (p: number) => {
    const q = softmax(LOGITS);
    const h = -q.reduce((s, x) => (x > 0 ? s + x * Math.log(x) : s), 0);
    const key = q.map((x) => (x > 0 ? -Math.abs(-Math.log(x) - h) : -Infinity));
    return normalise(keepTop(q, key, p));
  },
};

async function frequencies(options: GenerateOptions): Promise<number[]> {
  const model = scriptedModel([LOGITS], { eosId: 9 });
  const [r] = await generate(model, [[]], { strategy: 'sample', maxNewTokens: 1, numReturn: DRAWS, seed: 1234, ...options });
  expect(model.stats.steps).toBe(1);
  expect(model.stats.liveStates).toBe(0);
  const counts = new Array(LOGITS.length).fill(0);
  for (const h of r.hypotheses) counts[h.ids[0]]++;
  return counts;
}

function expectMatches(counts: number[], probs: number[]): void {
  let chi = 0;
  let cells = 0;
  counts.forEach((c, i) => {
    if (probs[i] === 0) {
      expect(c, `token ${i} has probability 0 but was drawn`).toBe(0);
      return;
    }
    const e = probs[i] * DRAWS;
    chi += (c - e) ** 2 / e;
    cells++;
  });
  if (cells === 1) return; // a single allowed token: the zero-probability checks above say it all
  expect(chi).toBeLessThan(CHI2_999[cells - 1]);
}

describe('sampling frequencies match the processed distribution (χ², 20,000 seeded draws)', () => {
  it.each([0.5, 1, 2])('temperature %s', async (t) => expectMatches(await frequencies({ temperature: t }), reference.temperature(t)));
  it.each([1, 3, 5])('top-k %s', async (k) => expectMatches(await frequencies({ topK: k }), reference.topK(k)));
  it.each([0.3, 0.75, 0.95])('top-p %s', async (p) => expectMatches(await frequencies({ topP: p }), reference.topP(p)));
  it.each([0.1, 0.4])('min-p %s', async (p) => expectMatches(await frequencies({ minP: p }), reference.minP(p)));
  it.each([0.5, 0.9])('typical-p %s', async (p) => expectMatches(await frequencies({ typicalP: p }), reference.typicalP(p)));
  it('temperature 0.7 then top-k 6 then top-p 0.8', async () => {
    const t = softmax(LOGITS.map((x) => x / 0.7));
    const kth = [...t].sort((a, b) => b - a)[5];
    const k = normalise(t.map((x) => (x >= kth ? x : 0)));
    expectMatches(await frequencies({ temperature: 0.7, topK: 6, topP: 0.8 }), normalise(keepTop(k, k, 0.8)));
  });
});

describe('sampling', () => {
  it('top-p keeps exactly the smallest set whose mass reaches p', async () => {
    const q = softmax(LOGITS);
    const sorted = [...q].sort((a, b) => b - a); // 2.0, 1.6, 1.2 carry the most mass
    const p = sorted[0] + sorted[1] + 1e-6; // needs a third token
    const counts = await frequencies({ topP: p });
    expect(counts.filter((c) => c > 0).length).toBe(3);
    const justTwo = await frequencies({ topP: sorted[0] + sorted[1] - 1e-6 });
    expect(justTwo.filter((c) => c > 0).length).toBe(2);
  });

  it('temperature → 0 equals greedy', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const model = randomTableModel({ vocabSize: 12, seed, eosBias: 1 });
      const [greedy] = await generate(model, [[seed]], { maxNewTokens: 10 });
      for (const t of [0, 1e-4]) {
        const [cold] = await generate(model, [[seed]], { strategy: 'sample', temperature: t, seed, maxNewTokens: 10 });
        expect(cold.best.ids).toEqual(greedy.best.ids);
      }
    }
  });

  it('the same seed gives the same tokens; another seed gives others', async () => {
    const model = randomTableModel({ vocabSize: 30, seed: 8 });
    const opts = { strategy: 'sample', maxNewTokens: 12, numReturn: 3, topP: 0.9 } as const;
    const a = await generate(model, [[1], [2]], { ...opts, seed: 99 });
    const b = await generate(model, [[1], [2]], { ...opts, seed: 99 });
    const c = await generate(model, [[1], [2]], { ...opts, seed: 100 });
    const toIds = (rs: typeof a) => rs.map((r) => r.hypotheses.map((h) => h.ids));
    expect(toIds(b)).toEqual(toIds(a));
    expect(toIds(c)).not.toEqual(toIds(a));
    // Pinned: the generator and the loop give these tokens on every machine.
    expect(a[0].hypotheses.map((h) => h.ids.slice(0, 4))).toEqual([[2], [3, 17, 1, 5], [19, 28, 9, 15]]);
  });

  it('sorts samples by score and reports per-token log-probabilities', async () => {
    const model = randomTableModel({ vocabSize: 10, seed: 4, eosBias: 1 });
    const [r] = await generate(model, [[]], { strategy: 'sample', numReturn: 8, seed: 5, maxNewTokens: 6 });
    expect(r.hypotheses).toHaveLength(8);
    for (let i = 1; i < 8; i++) expect(r.hypotheses[i - 1].score).toBeGreaterThanOrEqual(r.hypotheses[i].score);
    for (const h of r.hypotheses) {
      expect(h.tokenLogProbs).toHaveLength(h.ids.length);
      expect(h.finishReason).toBe(h.ids.at(-1) === 2 ? 'eos' : 'length');
    }
  });
});
