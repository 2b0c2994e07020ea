import { fileURLToPath } from 'node:url';
import { generate } from '@seqloom/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxSeq2Seq, type OnnxSeq2Seq } from '../src/index.js';

// Sampling over an ONNX export: seeded runs repeat, and the first token's
// empirical distribution matches the model's distribution renormalised over
// what each filter keeps (a χ² goodness-of-fit test at p = 0.001; the seeds are
// fixed, so the test is deterministic).

const MARIAN = fileURLToPath(new URL('../fixtures/tiny-marian', import.meta.url));
const SOURCE = 'the big dog sees a happy cat';
const DRAWS = 4000;
/** The trained model is nearly sure of its first token; a temperature spreads the distribution out. */
const TEMPERATURE = 4;

let loaded: OnnxSeq2Seq;
let probs: number[];
beforeAll(async () => {
  loaded = await loadOnnxSeq2Seq(MARIAN, { sessionOptions: { intraOpNumThreads: 1 } });
  const { model } = loaded;
  const state = await model.start([loaded.encode(SOURCE)]);
  const { logits, state: next } = await model.step(state, Int32Array.of(model.bosId));
  model.dispose(next);
  // seqloom never samples the padding token under its own conventions
  const z = Array.from(logits, (x, v) => (v === model.padId ? -Infinity : x / TEMPERATURE));
  const max = Math.max(...z);
  const e = z.map((x) => Math.exp(x - max));
  const sum = e.reduce((a, b) => a + b, 0);
  probs = e.map((x) => x / sum);
});
afterAll(() => loaded.dispose());

/** The kept tokens of each filter, computed independently of the processors under test. */
function kept(filter: { topK?: number; topP?: number; minP?: number }): Set<number> {
  const order = probs.map((p, v) => [p, v] as const).sort((a, b) => b[0] - a[0]);
  if (filter.topK !== undefined) return new Set(order.slice(0, filter.topK).map(([, v]) => v));
  if (filter.topP !== undefined) {
    const out = new Set<number>();
    let mass = 0;
    for (const [p, v] of order) {
      out.add(v);
      mass += p;
      if (mass >= filter.topP) break;
    }
    return out;
  }
  const top = order[0][0];
  return new Set(order.filter(([p]) => p >= filter.minP! * top).map(([, v]) => v));
}

/** The χ² critical value at p = 0.001 for `df` degrees of freedom (tables for df ≤ 3, else Wilson–Hilferty, within 1 % of the tables). */
function chi2Critical(df: number): number {
  if (df <= 3) return [10.828, 13.816, 16.266][df - 1];
  const z = 3.0902; // the standard normal's 0.999 quantile
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

async function firstTokens(options: Record<string, unknown>, seed: number): Promise<number[]> {
  const [result] = await generate(loaded.model, [loaded.encode(SOURCE)], {
    strategy: 'sample',
    numReturn: DRAWS,
    maxNewTokens: 1,
    temperature: TEMPERATURE,
    seed,
    ...options,
  });
  return result.hypotheses.map((h) => h.ids[0]);
}

describe('sampling over an ONNX export', () => {
  it('the same seed gives the same samples, another seed others', async () => {
    const opts = { topP: 0.95 };
    const [a, b, c] = [await firstTokens(opts, 7), await firstTokens(opts, 7), await firstTokens(opts, 8)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it.each([{ topK: 5 }, { topP: 0.9 }, { minP: 0.05 }])('%j: frequencies match the renormalised distribution (χ²)', async (filter) => {
    const keep = kept(filter);
    expect(keep.size).toBeGreaterThan(1);
    const mass = [...keep].reduce((s, v) => s + probs[v], 0);
    const counts = new Map<number, number>();
    for (const t of await firstTokens(filter, 11)) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of counts.keys()) expect(keep.has(t), `token ${t} sampled but filtered out`).toBe(true);
    // pool the rare tokens so every expected count is at least 5
    let chi2 = 0;
    let cells = 0;
    let poolExpected = 0;
    let poolObserved = 0;
    for (const v of keep) {
      const expected = (DRAWS * probs[v]) / mass;
      const observed = counts.get(v) ?? 0;
      if (expected < 5) {
        poolExpected += expected;
        poolObserved += observed;
        continue;
      }
      chi2 += (observed - expected) ** 2 / expected;
      cells++;
    }
    if (poolExpected > 0) {
      chi2 += (poolObserved - poolExpected) ** 2 / Math.max(poolExpected, 1e-9);
      cells++;
    }
    expect(cells).toBeGreaterThan(1);
    expect(chi2, `${cells} cells`).toBeLessThan(chi2Critical(cells - 1));
  });
});
