import {
  bannedSequences,
  createRng,
  DecodeOptionError,
  forcedPrefix,
  type LogitsProcessor,
  minNewTokens,
  minP,
  noRepeatNgram,
  type ProcessorContext,
  repetitionPenalty,
  suppressTokens,
  temperature,
  topK,
  topP,
  typicalP,
} from '@seqloom/decode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ctx = (tokens: number[] = []): ProcessorContext => ({ tokens, source: 0, vocabSize: 6, eosId: 2 });
const run = (p: LogitsProcessor, xs: number[], tokens: number[] = []): number[] => Array.from(p(Float32Array.from(xs), ctx(tokens)));
const kept = (xs: number[]): number[] => xs.flatMap((x, i) => (x > -Infinity ? [i] : []));
const X = [1.0, 3.0, -2.0, 0.5, 2.0, 3.0];

describe('logits processors', () => {
  it('temperature divides logits; 0 keeps only the maximum', () => {
    expect(run(temperature(2), X)).toEqual(X.map((x) => x / 2));
    expect(kept(run(temperature(0), X))).toEqual([1, 5]);
  });

  it('top-k keeps the k largest (ties with the k-th kept)', () => {
    expect(kept(run(topK(2), X))).toEqual([1, 5]);
    expect(kept(run(topK(3), X))).toEqual([1, 4, 5]);
    expect(kept(run(topK(10), X))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('top-p keeps the smallest prefix of the sorted distribution reaching p (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 2, maxLength: 30 }), fc.integer({ min: 1, max: 100 }), (ints, pp) => {
        const xs = ints.map((x) => x / 10);
        const p = pp / 100;
        const keep = kept(run(topP(p), xs));
        const probs = xs.map((x) => Math.exp(x));
        const z = probs.reduce((a, b) => a + b, 0);
        const mass = (ids: number[]): number => ids.reduce((s, i) => s + probs[i] / z, 0);
        expect(mass(keep)).toBeGreaterThanOrEqual(p - 1e-6);
        // Minimal: dropping the least likely kept token falls below p.
        const weakest = keep.reduce((a, b) => (xs[b] < xs[a] ? b : a));
        expect(mass(keep.filter((i) => i !== weakest))).toBeLessThan(p + 1e-6);
        // Every kept token is at least as likely as every dropped one.
        const dropped = xs.map((_, i) => i).filter((i) => !keep.includes(i));
        for (const d of dropped) expect(xs[d]).toBeLessThanOrEqual(xs[weakest]);
      }),
    );
  });

  it('top-p and typical-p match a full-sort reference on a 5,000-token vocabulary', () => {
    const rng = createRng(3);
    const xs = Array.from({ length: 5000 }, () => 4 * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
    const f32 = Array.from(Float32Array.from(xs));
    const max = Math.max(...f32);
    const probs = f32.map((x) => Math.exp(x - max));
    const z = probs.reduce((a, b) => a + b, 0);
    const q = probs.map((x) => x / z);
    const h = -q.reduce((s, x) => (x > 0 ? s + x * Math.log(x) : s), 0);
    const refKeep = (key: number[], p: number): number[] => {
      const order = q
        .map((_, i) => i)
        .filter((i) => q[i] > 0)
        .sort((a, b) => key[b] - key[a] || a - b);
      const keep: number[] = [];
      let acc = 0;
      for (const i of order) {
        if (acc >= p) break;
        keep.push(i);
        acc += q[i];
      }
      return keep.sort((a, b) => a - b);
    };
    const typicalKey = q.map((x) => (x > 0 ? -Math.abs(-Math.log(x) - h) : -Infinity));
    for (const p of [0.05, 0.3, 0.6, 0.9, 0.99]) {
      expect(kept(run(topP(p), f32))).toEqual(refKeep(f32, p));
      expect(kept(run(typicalP(p), f32))).toEqual(refKeep(typicalKey, p));
    }
  });

  it('min-p keeps tokens with p(x) ≥ p · max p', () => {
    // probs relative to the max: exp(x − 3)
    expect(kept(run(minP(0.3), X))).toEqual([1, 4, 5]); // exp(-1) = 0.37 ≥ 0.3
    expect(kept(run(minP(0.5), X))).toEqual([1, 5]);
    expect(kept(run(minP(0), X))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('typical-p ranks by distance of surprisal to entropy', () => {
    const probs = [0.5, 0.25, 0.125, 0.125];
    const xs = probs.map(Math.log);
    // H = 1.75 bits = 1.213 nats; surprisals: 0.69, 1.39, 2.08, 2.08 → closest is token 1 (|1.39 − 1.21| = 0.17)
    expect(kept(run(typicalP(0.2), xs))).toEqual([1]);
    expect(kept(run(typicalP(0.7), xs))).toEqual([0, 1]);
  });

  it('repetition penalty divides positive and multiplies negative logits of seen tokens, once each', () => {
    expect(run(repetitionPenalty(2), X, [1, 2, 1])).toEqual([1.0, 1.5, -4.0, 0.5, 2.0, 3.0]);
    expect(run(repetitionPenalty(2), X, [])).toEqual(X);
  });

  it('no-repeat-n-gram masks tokens that would repeat an n-gram', () => {
    expect(kept(run(noRepeatNgram(2), X, [3, 4, 1, 3]))).toEqual([0, 1, 2, 3, 5]); // "3 4" seen: 4 banned after 3
    expect(kept(run(noRepeatNgram(3), X, [3, 4, 1, 3, 4]))).toEqual([0, 2, 3, 4, 5]); // "3 4 1"
    expect(kept(run(noRepeatNgram(1), X, [0, 5]))).toEqual([1, 2, 3, 4]);
  });

  it('min new tokens masks eos until n tokens exist', () => {
    expect(kept(run(minNewTokens(2, 2), X, [4]))).toEqual([0, 1, 3, 4, 5]);
    expect(kept(run(minNewTokens(2, 2), X, [4, 4]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('banned sequences mask the last token after the rest of the sequence', () => {
    const p = bannedSequences([[5], [3, 4], [1, 3, 0]]);
    expect(kept(run(p, X, [0]))).toEqual([0, 1, 2, 3, 4]);
    expect(kept(run(p, X, [0, 3]))).toEqual([0, 1, 2, 3]);
    expect(kept(run(p, X, [1, 3]))).toEqual([1, 2, 3]);
  });

  it('forced prefix forces its tokens, then lets go', () => {
    const p = forcedPrefix([4, 0]);
    expect(kept(run(p, X, []))).toEqual([4]);
    expect(kept(run(p, [-Infinity, 1, 1, 1, 1, 1], [4]))).toEqual([0]);
    expect(kept(run(p, X, [4, 0]))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('suppress tokens masks them always', () => {
    expect(kept(run(suppressTokens([0, 5]), X))).toEqual([1, 2, 3, 4]);
  });

  it('each factory rejects bad arguments with a DecodeOptionError naming the option and range', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => temperature(-0.5), /temperature: expected a finite number ≥ 0.*got -0\.5/],
      [() => temperature(Number.POSITIVE_INFINITY), /temperature/],
      [() => topK(0), /topK: expected an integer ≥ 1, got 0/],
      [() => topK(2.5), /topK/],
      [() => topP(0), /topP: expected a number in \(0, 1\], got 0/],
      [() => topP(1.5), /topP: expected a number in \(0, 1\], got 1\.5/],
      [() => minP(-0.1), /minP: expected a number in \[0, 1\]/],
      [() => typicalP(0), /typicalP: expected a number in \(0, 1\]/],
      [() => repetitionPenalty(0), /repetitionPenalty: expected a finite number > 0/],
      [() => noRepeatNgram(0), /noRepeatNgramSize: expected an integer ≥ 1/],
      [() => minNewTokens(-1, 2), /minNewTokens: expected an integer ≥ 0/],
      [() => bannedSequences([[]]), /bannedSequences\[0\]: a banned sequence must not be empty/],
      [() => bannedSequences([[1, -2]]), /bannedSequences\[0\]\[1\]: expected a token id/],
      [() => bannedSequences(5 as never), /bannedSequences: expected an array/],
      [() => forcedPrefix([1.5]), /forcedPrefix\[0\]/],
      [() => suppressTokens('a' as never), /suppressTokens: expected an array of token ids/],
    ];
    for (const [make, message] of bad) {
      expect(make).toThrow(DecodeOptionError);
      expect(make).toThrow(message);
    }
  });
});
