import { describe, expect, it } from 'vitest';
import { loadNativeAddon } from '../src/internal.js';
import { unavailable } from './native-available.js';

/** Deterministic values in [−scale, scale). */
function wave(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * scale);
}

/** Runs `f` with the calling thread's engine threads set to `threads`, restoring one thread after. */
function withThreads<T>(threads: number, f: () => T): T {
  const addon = loadNativeAddon();
  addon.setThreads(threads, 0);
  try {
    return f();
  } finally {
    addon.setThreads(1, 0);
  }
}

describe.skipIf(unavailable !== undefined)('pointwise loops split over the configured threads give the same bits as one thread', () => {
  it('Adam over 100,000 weights, outputs apart and in place', () => {
    const addon = loadNativeAddon();
    const n = 100_000;
    const run = (inPlace: boolean) => {
      const w = wave(n, 1);
      const m = wave(n, 2, 0.1);
      const v = wave(n, 3, 0.1).map((x) => x * x);
      const g = wave(n, 4);
      const out = inPlace ? [w, m, v] : [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
      addon.adam(w, m, v, g, out[0]!, out[1]!, out[2]!, 0.7, 0.9, 0.999, 1e-8, 1e-3);
      return out;
    };
    for (const inPlace of [false, true]) {
      const one = withThreads(1, () => run(inPlace));
      const two = withThreads(2, () => run(inPlace));
      for (let k = 0; k < 3; k++) expect(Buffer.from(two[k]!.buffer).equals(Buffer.from(one[k]!.buffer))).toBe(true);
    }
  });

  it('an LSTM layer over a packed sequence, forward (with and without the backward’s buffers) and backward', () => {
    const addon = loadNativeAddon();
    const [B, H] = [48, 192]; // 4H = 768: steps of 48 rows (36,864 gate values) are split, the shorter ones are not
    const active = Int32Array.of(48, 48, 40, 33, 20, 9);
    const P = active.reduce((a, b) => a + b, 0);
    const gates = wave(P * 4 * H, 5);
    const [h0, c0] = [wave(B * H, 6, 0.5), wave(B * H, 7, 0.5)];
    const u = wave(H * 4 * H, 8, 0.1);
    const forward = (full: boolean) => {
      const out = new Float32Array((P + 2 * B) * H);
      const cs = new Float32Array(P * H);
      const act = full ? new Float32Array(P * 4 * H) : null;
      const tanhC = full ? new Float32Array(P * H) : null;
      addon.lstmSequence(B, H, active, gates, h0, c0, u, out, cs, act, tanhC);
      return { out, cs, act, tanhC };
    };
    const backward = () => {
      const f = forward(true);
      const dy = wave((P + 2 * B) * H, 9);
      const [dG, dh0, dc0, dU] = [new Float32Array(P * 4 * H), new Float32Array(B * H), new Float32Array(B * H), new Float32Array(H * 4 * H)];
      addon.lstmSequenceGrad(B, H, active, dy, f.act!, f.tanhC!, f.cs, f.out, h0, c0, u, dG, dh0, dc0, dU);
      return [dG, dh0, dc0];
    };
    const same = (a: Float32Array | null, b: Float32Array | null) =>
      expect(a === null ? b : Buffer.from(b!.buffer).equals(Buffer.from(a.buffer))).toBe(a === null ? null : true);
    for (const full of [false, true]) {
      const one = withThreads(1, () => forward(full));
      const two = withThreads(2, () => forward(full));
      same(one.out, two.out);
      same(one.cs, two.cs);
      same(one.act, two.act);
      same(one.tanhC, two.tanhC);
    }
    const one = withThreads(1, backward);
    const two = withThreads(2, backward);
    for (let k = 0; k < 3; k++) same(one[k]!, two[k]!);
  });
});
