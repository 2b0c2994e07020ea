import { createRng, type GenerateOptions, generate, type LogitsProcessor, type StepModel, topP } from '@seqloom/decode';
import { afterEach, describe, expect, it } from 'vitest';
import { setSimdEnabled, setSimdVouching, simdRow } from '../src/simd/simd-row.js';

// The staged row of the SIMD kernels is copied in once per step where that is safe (`SimdRow.loadOnce`).

afterEach(() => {
  setSimdVouching(false);
  setSimdEnabled(true);
});

describe('SimdRow.loadOnce', () => {
  it('skips the copy only while vouching is on and the staged row is that range’s copy', () => {
    const row = simdRow()!;
    const values = Float32Array.from({ length: 600 }, (_, i) => Math.cos(i));
    row.load(values, 0, 600);
    values[3] = 99;
    row.loadOnce(values, 0, 600);
    expect(row.at(3)).toBe(99); // vouching off: always copied

    setSimdVouching(true);
    row.load(values, 0, 600);
    values[3] = 42; // a write the staged row does not see (the loop never does this without `forget`)
    row.loadOnce(values.subarray(0), 0, 600); // another view of the same memory: the same row
    expect(row.at(3)).toBe(99);
    row.loadOnce(values, 8, 600);
    expect(row.at(3)).toBe(values[11]); // another range: copied
    row.loadOnce(values, 0, 600);
    expect(row.at(3)).toBe(42);

    row.subtract(1); // a kernel that changes the staged row: its copy is forgotten
    row.loadOnce(values, 0, 600);
    expect(row.at(3)).toBe(42);
    values[3] = 7;
    row.forget();
    row.loadOnce(values, 0, 600);
    expect(row.at(3)).toBe(7);

    const out = new Float32Array(600);
    row.scale(2);
    row.copyTo(out); // the staged row now equals `out`
    out[0] = 1234;
    row.loadOnce(out, 0, 600);
    expect(row.at(0)).toBe(2 * Math.fround(Math.cos(0)));
    setSimdVouching(false); // forgets
    row.loadOnce(out, 0, 600);
    expect(row.at(0)).toBe(1234);
  });
});

/** A model whose every step returns fixed normal logits per row (distinct per previous token). */
function normalModel(V: number): StepModel<number> {
  const rng = createRng(17);
  const table = Array.from({ length: 5 }, () =>
    Float32Array.from({ length: V }, () => 3 * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next())),
  );
  return {
    vocabSize: V,
    bosId: 0,
    eosId: 1,
    padId: 2,
    start: async (sources) => sources.length,
    step: async (rows, previous) => {
      const logits = new Float32Array(previous.length * V);
      for (let r = 0; r < previous.length; r++) logits.set(table[(previous[r] + r) % 5], r * V);
      return { logits, state: rows };
    },
    reorder: (_state, rows) => rows.length,
    dispose: () => {},
  };
}

describe('decoding reuses the staged row only where nothing else wrote it', () => {
  // A user processor that runs top-p (which stages the row and copies it back) and then writes the row itself.
  const inner = topP(0.5);
  const boost: LogitsProcessor = (logits, context) => {
    inner(logits, context);
    logits[(context.tokens.length * 7 + 5) % logits.length] = 40;
    return logits;
  };
  const cases: [string, GenerateOptions][] = [
    ['greedy after a processor that writes the row after top-p', { processors: [boost] }],
    ['beam after a processor that writes the row after top-p', { strategy: 'beam', beamWidth: 3, processors: [boost] }],
    ['greedy after temperature, top-k, top-p and a repetition penalty', { temperature: 0.7, topK: 40, topP: 0.9, repetitionPenalty: 1.5 }],
    ['sampling after temperature, top-k, top-p', { strategy: 'sample', temperature: 0.9, topK: 300, topP: 0.8, seed: 9, numReturn: 2 }],
  ];
  for (const [name, options] of cases) {
    it(`${name}: the ids of the plain path`, async () => {
      const run = async (on: boolean) => {
        const was = setSimdEnabled(on);
        try {
          return await generate(normalModel(2000), [[3], [4]], { maxNewTokens: 6, ...options });
        } finally {
          setSimdEnabled(was);
        }
      };
      const fast = await run(true);
      const plain = await run(false);
      expect(fast.map((r) => r.hypotheses.map((h) => h.ids))).toEqual(plain.map((r) => r.hypotheses.map((h) => h.ids)));
      if (options.processors) expect(fast[0].hypotheses[0].ids[0]).toBe(5); // the boosted token
      fast.forEach((r, s) =>
        r.hypotheses.forEach((h, i) => expect(Math.abs(h.score - plain[s].hypotheses[i].score)).toBeLessThan(1e-6 * Math.max(1, Math.abs(h.score)))),
      );
    });
  }
});
