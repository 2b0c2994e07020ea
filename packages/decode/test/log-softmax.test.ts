import { createRng, topP } from '@seqloom/decode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmax, drawIndex, expNonPositive, logSoftmaxInto, logSumExp, logSumExpAndMax } from '../src/log-softmax.js';
import { offerRow, TopCandidates } from '../src/partial-select.js';

// The fast kernels against plain Math.exp / full-sort oracles.

const refLse = (xs: ArrayLike<number>): number => {
  const arr = Array.from(xs);
  const max = Math.max(...arr);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(arr.reduce((s, x) => s + Math.exp(x - max), 0));
};

const normalRow = (n: number, seed: number, scale = 3): Float32Array => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => scale * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
};

describe('fast exp and log-sum-exp', () => {
  it('exp(d) for d ≤ 0 is within a relative 1e-10 of Math.exp; 1 at 0, 0 at −Infinity, NaN for NaN', () => {
    let worst = 0;
    for (let d = 0; d <= 44; d += 0.000917) worst = Math.max(worst, Math.abs(expNonPositive(-d) / Math.exp(-d) - 1));
    expect(worst).toBeLessThan(1e-10);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(Number.isNaN(expNonPositive(Number.NaN))).toBe(true);
    expect(expNonPositive(0.5)).toBe(Math.exp(0.5));
  });

  it('logSumExp equals the Math.exp reference within 1e-9 (property, masked entries included)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ min: -60, max: 60, noNaN: true }), fc.constant(-Infinity)), { minLength: 1, maxLength: 300 }), (xs) => {
        const row = Float32Array.from(xs);
        const want = refLse(row);
        const got = logSumExp(row);
        if (want === -Infinity) expect(got).toBe(-Infinity);
        else expect(Math.abs(got - want)).toBeLessThan(1e-9);
      }),
    );
  });

  it('a row of one allowed token normalises to exactly its logit; the maximum and range are reported', () => {
    expect(logSumExp(Float32Array.of(-Infinity, 2.5, -Infinity))).toBe(2.5);
    const maxOut = new Float64Array(2);
    const row = Float32Array.of(9, 1, 4, 3, 9);
    expect(logSumExpAndMax(row, 1, 4, maxOut, 1)).toBeCloseTo(refLse([1, 4, 3]), 12);
    expect(maxOut[1]).toBe(4);
    expect(logSumExp(new Float32Array(0))).toBe(-Infinity);
    expect(logSumExp(Float32Array.of(-Infinity, -Infinity))).toBe(-Infinity);
    expect(Number.isNaN(logSumExp(Float32Array.of(1, Number.NaN)))).toBe(true);
    expect(Number.isNaN(logSumExp(Float32Array.of(1, Infinity)))).toBe(true);
  });

  it('is exact on a 32,000-logit row in one pass whatever the order (ascending logits rescale at every entry)', () => {
    const row = normalRow(32000, 5);
    expect(Math.abs(logSumExp(row) - refLse(row))).toBeLessThan(1e-9);
    const ascending = row.slice().sort();
    expect(Math.abs(logSumExp(ascending) - refLse(row))).toBeLessThan(1e-9);
    const out = new Float32Array(row.length);
    const shift = logSoftmaxInto(row, out);
    // the SIMD kernels subtract in float32 with the normaliser rounded to float32: within |shift|·6e-8 and one rounding of exact
    const f32Shift = Math.fround(shift);
    for (let i = 0; i < row.length; i += 997) {
      expect(out[i]).toBe(Math.fround(row[i] - f32Shift));
      expect(Math.abs(out[i] - (row[i] - shift))).toBeLessThanOrEqual(Math.abs(shift) * 6e-8 + 6e-8 * Math.abs(row[i] - shift));
    }
  });

  it('argmax: first of ties, NaN skipped, −1 when nothing is allowed', () => {
    expect(argmax(Float32Array.of(1, 3, 3, 2))).toBe(1);
    expect(argmax(Float32Array.of(Number.NaN, 0, 5, 1, 5, 2, 7), 1, 5)).toBe(1);
    expect(argmax(Float32Array.of(-Infinity, Number.NaN))).toBe(-1);
  });

  it('drawIndex is the inverse CDF in id order over allowed tokens', () => {
    const row = Float32Array.of(-Infinity, 0.3, 1.2, -Infinity, 2.0, -0.4);
    const shift = refLse(row);
    const cdf: number[] = [];
    let acc = 0;
    row.forEach((x, v) => {
      if (x > -Infinity) acc += Math.exp(x - shift);
      cdf[v] = acc;
    });
    for (const u of [0, 0.05, 0.2, 0.5, 0.8, 0.999, 0.9999999999]) {
      const want = cdf.findIndex((c, v) => row[v] > -Infinity && u < c);
      expect(drawIndex(row, 0, row.length, shift, u)).toBe(want === -1 ? 5 : want);
    }
    expect(drawIndex(Float32Array.of(-Infinity, -Infinity), 0, 2, 0, 0.5)).toBe(-1);
  });
});

describe('beam candidates by threshold scan', () => {
  it('offerRow keeps exactly the k best of scoring every token (property, with row skips and penalties)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(
          fc.array(
            fc.oneof(
              fc.integer({ min: -20, max: 20 }).map((x) => x / 4),
              fc.constant(-Infinity),
            ),
            { minLength: 8, maxLength: 8 },
          ),
          { minLength: 1, maxLength: 5 },
        ),
        fc.boolean(),
        (k, rows, penalise) => {
          const V = 8;
          const logits = Float32Array.from(rows.flat());
          const counts = penalise ? Float64Array.from({ length: V }, (_, v) => v % 3) : null;
          const heap = new TopCandidates(k);
          const all: { score: number; row: number; token: number; seq: number }[] = [];
          let seq = 0;
          rows.forEach((row, r) => {
            const base = -0.5 * r;
            const shift = refLse(row) > -Infinity ? refLse(row) : 0;
            const max = Math.max(...row);
            offerRow(heap, logits, r * V, V, base, shift, r, max, counts, 0.7);
            row.forEach((z, v) => {
              if (z === -Infinity) return;
              let score = base + (Math.fround(z) - shift);
              if (counts) score -= 0.7 * counts[v];
              all.push({ score, row: r, token: v, seq: seq++ });
            });
          });
          all.sort((a, b) => b.score - a.score || a.seq - b.seq);
          const got = heap.sorted();
          expect(got.map((c) => c.score)).toEqual(all.slice(0, k).map((c) => c.score));
        },
      ),
    );
  });
});

describe('top-p by buckets', () => {
  it('matches a full-sort reference on a 32,000-token row, ties included', () => {
    const row = normalRow(32000, 11);
    // Quantised copy: many exact ties across the boundary.
    const tied = row.map((x) => Math.round(x * 8) / 8);
    for (const xs of [row, tied]) {
      const max = Math.max(...xs);
      const q = Array.from(xs, (x) => Math.exp(x - max));
      const z = q.reduce((a, b) => a + b, 0);
      const order = q.map((_, i) => i).sort((a, b) => xs[b] - xs[a] || a - b);
      for (const p of [0.1, 0.5, 0.9, 0.99]) {
        const want: number[] = [];
        let acc = 0;
        for (const i of order) {
          if (acc >= p * z) break;
          want.push(i);
          acc += q[i];
        }
        const out = topP(p)(xs.slice(), { tokens: [], source: 0, vocabSize: xs.length, eosId: 2 });
        const kept = Array.from(out).flatMap((x, i) => (x > -Infinity ? [i] : []));
        expect(kept).toEqual(want.sort((a, b) => a - b));
      }
    }
  });

  it('leaves a row holding NaN or +Infinity for the loop to report', () => {
    const nan = Float32Array.of(1, Number.NaN, 2);
    expect(Array.from(topP(0.5)(nan.slice(), { tokens: [], source: 0, vocabSize: 3, eosId: 2 })).map(String)).toEqual(['1', 'NaN', '2']);
  });
});
