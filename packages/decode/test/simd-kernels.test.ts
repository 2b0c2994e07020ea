import { createRng, type GenerateOptions, generate, minP, type ProcessorContext, type StepModel, temperature, topK } from '@seqloom/decode';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  argmax,
  argmaxPlain,
  drawIndex,
  drawIndexPlain,
  EXP_CAP,
  expBuckets,
  expNonPositive,
  logSoftmaxInto,
  logSoftmaxIntoPlain,
  logSumExpAndMax,
  logSumExpAndMaxF32,
  logSumExpAndMaxPlain,
} from '../src/log-softmax.js';
import { offerRow, TopCandidates } from '../src/partial-select.js';
import { maskOutsideTopP, NucleusScratch } from '../src/processors/nucleus-mask.js';
import { simdKernelBytes } from '../src/simd/simd-kernels.js';
import { setSimdEnabled, simdRow } from '../src/simd/simd-row.js';
import { ceilF32, floorF32, nextDownF32 } from '../src/simd/simd-row-ops.js';

// The WebAssembly SIMD kernels against the plain TypeScript path, their oracle.

afterEach(() => {
  setSimdEnabled(true);
});

/** A value of a logit row: mostly normal × 3, with masked entries, repeats (ties) and extremes. */
const entry = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }).map(Math.fround) },
  { weight: 2, arbitrary: fc.constant(-Infinity) },
  { weight: 1, arbitrary: fc.constantFrom(7.25, -1e30, 1e30, 0, -0) },
);
/** A row long enough for the kernels, and a range inside it (offsets not multiples of 8). */
const rowAndRange = fc
  .tuple(fc.array(entry, { minLength: 300, maxLength: 1200 }), fc.nat(40), fc.nat(40))
  .map(([xs, a, b]) => ({ row: Float32Array.from(xs), start: a, end: xs.length - b }));

const context: ProcessorContext = { tokens: [], source: 0, vocabSize: 0, eosId: 1 };

/** log Σ exp over `row[start … end)` with `Math.exp` and compensated float64 sums (the reference). */
function logSumExpExact(row: Float32Array, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    if (Number.isNaN(row[i]) || row[i] === Infinity) return Number.NaN;
    if (row[i] > max) max = row[i];
  }
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  let carry = 0;
  for (let i = start; i < end; i++) {
    const y = Math.exp(row[i] - max) - carry;
    const t = sum + y;
    carry = t - sum - y;
    sum = t;
  }
  return max + Math.log(sum);
}

function withSimd<T>(on: boolean, f: () => T): T {
  const was = setSimdEnabled(on);
  try {
    return f();
  } finally {
    setSimdEnabled(was);
  }
}

describe('WebAssembly SIMD kernels', () => {
  it('are available in this runtime, and the module stays small enough for synchronous compilation in a browser', () => {
    expect(simdRow()).not.toBeNull();
    expect(simdKernelBytes().length).toBeLessThan(4096);
    expect(withSimd(false, () => simdRow())).toBeNull();
  });

  it('logSumExpAndMax equals the plain path within 1e-9, and reports the same maximum (property)', () => {
    fc.assert(
      fc.property(rowAndRange, ({ row, start, end }) => {
        const fastMax = new Float64Array(1);
        const plainMax = new Float64Array(1);
        const fast = logSumExpAndMax(row, start, end, fastMax, 0);
        const plain = logSumExpAndMaxPlain(row, start, end, plainMax, 0);
        if (!Number.isFinite(plain)) expect(fast).toBe(plain);
        else expect(Math.abs(fast - plain)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(plain)));
        expect(fastMax[0]).toBe(plainMax[0]);
      }),
    );
  });

  it('logSumExpAndMaxF32 (float32 exps) is within 1e-6·max(1, |lse|) of exact, with the same maximum (property)', () => {
    const wide = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -30, max: 30, noNaN: true }).map(Math.fround) },
      { weight: 2, arbitrary: fc.constant(-Infinity) },
      { weight: 1, arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true }).map(Math.fround) },
      { weight: 1, arbitrary: fc.constantFrom(7.25, -1e30, 0, -0, -86, -87.5, 3.4e38) },
    );
    const rows = fc
      .tuple(fc.array(wide, { minLength: 260, maxLength: 2000 }), fc.nat(30), fc.nat(30), fc.boolean())
      .map(([xs, a, b, tied]) => ({ row: Float32Array.from(tied ? xs.map((x) => (x > 0 ? 5 : x)) : xs), start: a, end: xs.length - b }));
    fc.assert(
      fc.property(rows, ({ row, start, end }) => {
        const fastMax = new Float64Array(1);
        const exactMax = new Float64Array(1);
        const fast = logSumExpAndMaxF32(row, start, end, fastMax, 0);
        const exact = logSumExpExact(row, start, end);
        logSumExpAndMaxPlain(row, start, end, exactMax, 0);
        if (!Number.isFinite(exact)) expect(fast).toBe(exact);
        else expect(Math.abs(fast - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(exact)));
        expect(fastMax[0]).toBe(exactMax[0]);
      }),
    );
  });

  it('logSumExpAndMaxF32 over 32,000 terms: flat, peaked, and masked rows within 1e-6 of exact', () => {
    const rng = createRng(5);
    const rows: Float32Array[] = [
      Float32Array.from({ length: 32000 }, () => 3 * (rng.next() + rng.next() + rng.next() - 1.5)),
      new Float32Array(32000).fill(-10.37).map((x, i) => (i === 7 ? 0 : x)), // the tail weighs as much as the maximum
      Float32Array.from({ length: 32000 }, (_, i) => (i % 3 === 0 ? -Infinity : -0.001 * i)),
      Float32Array.from({ length: 32000 }, (_, i) => (i === 31999 ? 40 : -50 + (i % 97))), // terms below max − 86 count as 0
      Float32Array.from({ length: 32000 }, () => 1e5 + Math.floor(rng.next() * 64) / 4), // a large maximum
    ];
    for (const row of rows) {
      const exact = logSumExpExact(row, 0, row.length);
      const fast = logSumExpAndMaxF32(row, 0, row.length, new Float64Array(1), 0);
      expect(Math.abs(fast - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(exact)));
    }
    const one = new Float32Array(1000).fill(-Infinity);
    one[999] = -3.5;
    expect(logSumExpAndMaxF32(one, 0, 1000, new Float64Array(1), 0)).toBe(-3.5);
  });

  it('NaN, +Infinity, all-masked and one-allowed rows give what the plain path gives', () => {
    const cases: [string, (row: Float32Array) => void][] = [
      ['NaN', (row) => (row[700] = Number.NaN)],
      ['NaN among masked', (row) => (row.fill(-Infinity), (row[3] = Number.NaN))],
      ['+Infinity', (row) => (row[5] = Infinity)],
      ['all masked', (row) => row.fill(-Infinity)],
      ['one allowed', (row) => (row.fill(-Infinity), (row[999] = -3.5))],
      ['a NaN with a payload', (row) => new Uint32Array(row.buffer).fill(0x7fc00123, 40, 41)],
    ];
    for (const [name, edit] of cases) {
      const row = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 4);
      edit(row);
      const fastMax = new Float64Array(1);
      const plainMax = new Float64Array(1);
      const fast = logSumExpAndMax(row, 0, row.length, fastMax, 0);
      const plain = logSumExpAndMaxPlain(row, 0, row.length, plainMax, 0);
      expect({ name, fast, max: fastMax[0] }).toEqual({ name, fast: plain, max: plainMax[0] });
      if (!Number.isFinite(plain)) expect({ name, f32: logSumExpAndMaxF32(row, 0, row.length, fastMax, 0) }).toEqual({ name, f32: plain });
    }
    const one = new Float32Array(1000).fill(-Infinity);
    one[999] = -3.5;
    expect(logSumExpAndMax(one, 0, 1000, new Float64Array(1), 0)).toBe(-3.5);
  });

  it('logSoftmaxInto (float32 exps) writes the plain path’s values to within its normaliser’s 1e-6 and one rounding', () => {
    fc.assert(
      fc.property(rowAndRange, ({ row }) => {
        if (!row.some((x) => x > -Infinity && x < 1e30)) return;
        const fast = new Float32Array(row.length);
        const plain = new Float32Array(row.length);
        const a = logSoftmaxInto(row, fast);
        const b = logSoftmaxIntoPlain(row, plain);
        const tolerance = 1e-6 * Math.max(1, Math.abs(b));
        expect(Math.abs(a - b)).toBeLessThanOrEqual(tolerance);
        for (let i = 0; i < row.length; i++) {
          if (plain[i] === -Infinity) expect(fast[i]).toBe(-Infinity);
          else expect(Math.abs(fast[i] - plain[i])).toBeLessThanOrEqual(tolerance + 1.2e-7 * Math.max(1, Math.abs(plain[i])));
        }
      }),
    );
  });

  it('argmax equals the plain path, ties to the lowest index, NaN skipped, −1 when nothing is allowed (property)', () => {
    fc.assert(
      fc.property(rowAndRange, fc.option(fc.nat(1199)), ({ row, start, end }, nan) => {
        if (nan !== null && nan < row.length) row[nan] = Number.NaN;
        expect(argmax(row, start, end)).toBe(argmaxPlain(row, start, end));
      }),
    );
    const tied = new Float32Array(500).fill(-Infinity);
    tied[300] = 2;
    tied[17] = 2;
    tied[3] = Number.NaN;
    expect(argmax(tied)).toBe(17);
    expect(argmax(new Float32Array(500).fill(-Infinity))).toBe(-1);
    expect(argmax(tied, 100, 400)).toBe(200);
  });

  it('offerRow keeps exactly the candidates of the plain scan, with diversity counts too (property)', () => {
    fc.assert(
      fc.property(rowAndRange, fc.double({ min: -20, max: 0, noNaN: true }), fc.integer({ min: 1, max: 12 }), fc.boolean(), ({ row }, a, k, diverse) => {
        const V = 300;
        const rows = Math.floor(row.length / V);
        const counts = diverse ? Float64Array.from({ length: V }, (_, v) => v % 3) : null;
        const run = (on: boolean) =>
          withSimd(on, () => {
            const heap = new TopCandidates(k);
            for (let r = 0; r < rows; r++) offerRow(heap, row, r * V, V, a - r, 0.5 * r, r, Infinity, counts, 0.7);
            return heap.sorted();
          });
        expect(run(true)).toEqual(run(false));
      }),
    );
  });

  it('the staged bucket pass of top-p gives the plain expBuckets to the bit: buckets, masses and total (property)', () => {
    fc.assert(
      fc.property(rowAndRange, ({ row }) => {
        const row2 = row.map((x) => (x > 1e29 ? 3 : x));
        const max = Math.max(...row2.filter((x) => !Number.isNaN(x)));
        if (max === -Infinity) return;
        const plainOf = new Uint16Array(row2.length);
        const plainMass = new Float64Array(EXP_CAP + 1);
        const plainTotal = expBuckets(row2, max, plainOf, plainMass);
        const staged = simdRow()!;
        staged.load(row2, 0, row2.length);
        const fastOf = new Uint16Array(row2.length);
        const fastMass = new Float64Array(EXP_CAP + 1);
        expect(staged.expBuckets(max, fastOf, fastMass)).toBe(plainTotal);
        expect(fastOf).toEqual(plainOf);
        expect(fastMass).toEqual(plainMass);
      }),
    );
  });

  it('top-p masks exactly the tokens the plain path masks (ties, masked entries, NaN rows left alone; property)', () => {
    fc.assert(
      fc.property(rowAndRange, fc.double({ min: 0.05, max: 0.999, noNaN: true }), fc.boolean(), ({ row }, p, nan) => {
        if (nan) row[row.length >> 1] = Number.NaN;
        const run = (on: boolean) =>
          withSimd(on, () => {
            const copy = row.slice();
            maskOutsideTopP(copy, p, new NucleusScratch());
            return copy;
          });
        expect(run(true)).toEqual(run(false));
      }),
    );
  });

  it('drawIndex draws the plain path’s token for every u, masked rows and entries above the normaliser included (property)', () => {
    fc.assert(
      fc.property(
        rowAndRange,
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: -2, max: 0.5, noNaN: true }),
        ({ row, start, end }, us, lift) => {
          const vocab = end - start;
          const shift = logSumExpAndMaxPlain(row, start, end, new Float64Array(1), 0) + lift;
          for (const u of us) expect(drawIndex(row, start, vocab, shift, u)).toBe(drawIndexPlain(row, start, vocab, shift, u));
        },
      ),
    );
    expect(drawIndex(new Float32Array(600).fill(-Infinity), 0, 600, 0, 0.5)).toBe(-1);
  });

  it('top-k keeps the tokens the plain quickselect keeps, ties with the k-th included (property)', () => {
    fc.assert(
      fc.property(rowAndRange, fc.integer({ min: 1, max: 300 }), ({ row }, k) => {
        const run = (on: boolean) => withSimd(on, () => topK(k)(row.slice(), context));
        expect(run(true)).toEqual(run(false));
      }),
    );
  });

  it('temperature and min-p write what the plain path writes (property)', () => {
    fc.assert(
      fc.property(rowAndRange, fc.double({ min: 0.05, max: 4, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), ({ row }, t, p) => {
        for (const processor of [temperature(t), minP(p)]) {
          const run = (on: boolean) => withSimd(on, () => processor(row.slice(), context));
          expect(run(true)).toEqual(run(false));
        }
      }),
    );
  });

  it('drawIndex turns from one token to the next at exactly the plain path’s cumulative weights', () => {
    const rng = createRng(21);
    for (let trial = 0; trial < 20; trial++) {
      const row = Float32Array.from({ length: 700 }, () => (rng.next() < 0.3 ? -Infinity : 12 * rng.next() - 6));
      const shift = logSumExpAndMaxPlain(row, 0, row.length, new Float64Array(1), 0);
      let acc = 0;
      for (let v = 0; v < row.length && acc < 0.999; v++) {
        if (row[v] === -Infinity) continue;
        acc += expNonPositive(row[v] - shift); // the plain path's weight, summed in its order
        expect(drawIndex(row, 0, row.length, shift, acc)).toBe(drawIndexPlain(row, 0, row.length, shift, acc));
      }
    }
  });

  it('nextDownF32, floorF32 and ceilF32 step to the neighbouring float32', () => {
    for (const x of [1, -1, 3.5, 1e-40, -1e-40, 0, 3.4028234663852886e38].map(Math.fround)) {
      const d = nextDownF32(x);
      expect(d).toBeLessThan(x);
      expect(Math.fround(d)).toBe(d);
      expect(Math.fround((d + x) / 2) === d || Math.fround((d + x) / 2) === x).toBe(true);
    }
    expect(floorF32(0.1)).toBeLessThanOrEqual(0.1);
    expect(floorF32(Math.fround(0.1))).toBe(Math.fround(0.1));
    expect(floorF32(-Infinity)).toBe(-Infinity);
    expect(ceilF32(0.1)).toBeGreaterThanOrEqual(0.1);
    expect(ceilF32(Math.fround(0.1))).toBe(Math.fround(0.1));
    expect(ceilF32(-Infinity)).toBe(-Infinity);
    expect(nextDownF32(Infinity)).toBe(3.4028234663852886e38);
  });
});

/** A model whose every step returns the same 3 rows of logits per live row (scaled normals, distinct per row). */
function fixedModel(V: number): StepModel<number> {
  const rng = createRng(11);
  const table = Array.from({ length: 7 }, () =>
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
      for (let r = 0; r < previous.length; r++) logits.set(table[(previous[r] + r) % 7], r * V);
      return { logits, state: rows };
    },
    reorder: (_state, rows) => rows.length,
    dispose: () => {},
  };
}

describe('decoding with and without the SIMD kernels', () => {
  const cases: [string, GenerateOptions][] = [
    ['greedy', {}],
    ['beam 5', { strategy: 'beam', beamWidth: 5, numReturn: 3 }],
    ['diverse beam', { strategy: 'beam', beamWidth: 4, beamGroups: 2, diversityStrength: 0.5 }],
    ['beam, hf compat', { strategy: 'beam', beamWidth: 3, compat: 'hf' }],
    ['sample top-p', { strategy: 'sample', topP: 0.9, seed: 3, numReturn: 2 }],
    ['sample t0.8 top-k top-p', { strategy: 'sample', temperature: 0.8, topK: 50, topP: 0.95, repetitionPenalty: 1.3, seed: 4 }],
  ];
  // Greedy and beam scores come from float32 exps (within 1e-6); sampling draws against the exact normaliser.
  for (const [name, options] of cases) {
    const tolerance = options.strategy === 'sample' ? 1e-9 : 1e-6;
    it(`${name}: the same ids, scores within ${tolerance}`, async () => {
      const sources = [[3], [4, 5]];
      const run = async (on: boolean) => {
        const was = setSimdEnabled(on);
        try {
          return await generate(fixedModel(3000), sources, { maxNewTokens: 6, ...options });
        } finally {
          setSimdEnabled(was);
        }
      };
      const fast = await run(true);
      const plain = await run(false);
      expect(fast.map((r) => r.hypotheses.map((h) => h.ids))).toEqual(plain.map((r) => r.hypotheses.map((h) => h.ids)));
      fast.forEach((r, s) =>
        r.hypotheses.forEach((h, i) => expect(Math.abs(h.score - plain[s].hypotheses[i].score)).toBeLessThan(tolerance * Math.max(1, Math.abs(h.score)))),
      );
    });
  }
});
