import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthLargest, smallestSetReachingMass, TopCandidates } from '../src/partial-select.js';

const values = fc.array(
  fc.integer({ min: -20, max: 20 }).map((x) => x / 4),
  { minLength: 1, maxLength: 60 },
);

describe('partial selection', () => {
  it('kthLargest equals the k-th entry of a full descending sort', () => {
    fc.assert(
      fc.property(values, fc.nat(), (xs, kRaw) => {
        const k = (kRaw % xs.length) + 1;
        const sorted = [...xs].sort((a, b) => b - a);
        expect(kthLargest(Float32Array.from(xs), k, new Float64Array(xs.length))).toBe(sorted[k - 1]);
      }),
    );
  });

  it('smallestSetReachingMass keeps the sorted prefix whose mass first reaches p', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 100 }), (ws, pp) => {
        const total = ws.reduce((a, b) => a + b, 0);
        const mass = ws.map((w) => w / total);
        const p = pp / 100;
        const order = Int32Array.from(ws.keys());
        const kept = smallestSetReachingMass(Float64Array.from(mass), Float64Array.from(mass), order, ws.length, p);
        // Reference: full sort by (mass desc, index asc), cumulative weight until it reaches
        // p, in exact integer arithmetic. When the prefix's mass equals p exactly, the float
        // sum may land just below it, so one more token is also a right answer.
        const ref = [...ws.keys()].sort((a, b) => mass[b] - mass[a] || a - b);
        let acc = 0;
        let n = 0;
        while (n < ref.length && acc * 100 < pp * total) acc += ws[ref[n++]];
        const allowed = acc * 100 === pp * total && n < ref.length ? [n, n + 1] : [n];
        expect(allowed).toContain(kept);
        expect(new Set(order.slice(0, kept))).toEqual(new Set(ref.slice(0, kept)));
      }),
    );
  });

  it('TopCandidates keeps the k best, best first, earlier offers winning ties', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 1, max: 10 }), (xs, k) => {
        const top = new TopCandidates(k);
        xs.forEach((x, i) => top.offer(x, i, i));
        const ref = [...xs.keys()].sort((a, b) => xs[b] - xs[a] || a - b).slice(0, k);
        expect(top.sorted().map((c) => c.row)).toEqual(ref);
      }),
    );
  });
});
