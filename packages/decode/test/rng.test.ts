import { createRng, DecodeOptionError } from '@seqloom/decode';
import { describe, expect, it } from 'vitest';

const u32 = (x: number): number => Math.round(x * 2 ** 32);

describe('createRng (xoshiro128**)', () => {
  it('matches the reference xoshiro128** output for state [1, 2, 3, 4]', () => {
    const rng = createRng(0);
    rng.setState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => u32(rng.next()));
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('gives a fixed sequence per seed (splitmix32 seeding)', () => {
    const rng = createRng(42);
    expect(Array.from({ length: 5 }, () => u32(rng.next()))).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
    expect(createRng(43).next()).not.toBe(createRng(42).next());
    expect(createRng(2 ** 32 + 42).next()).not.toBe(createRng(42).next());
  });

  it('resumes exactly from a saved state', () => {
    const a = createRng(7);
    for (let i = 0; i < 10; i++) a.next();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 5 }, () => a.next());
    const b = createRng(999);
    b.setState(saved);
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(expected);
  });

  it('draws uniformly in [0, 1)', () => {
    const rng = createRng(1);
    const bins = new Array(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 50_000; i++) {
      const x = rng.next();
      if (!(x >= 0 && x < 1)) outside++;
      bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    const chi = bins.reduce((s, c) => s + (c - 5000) ** 2 / 5000, 0);
    expect(chi).toBeLessThan(27.88); // χ²(9) at p = 0.001
  });

  it('rejects bad seeds and states', () => {
    expect(() => createRng(1.5)).toThrow(DecodeOptionError);
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
    const rng = createRng(1);
    expect(() => rng.setState([0, 0, 0, 0])).toThrow(/not all zero/);
    expect(() => rng.setState([1, 2, 3] as never)).toThrow(DecodeOptionError);
    expect(() => rng.setState([1, 2, 3, 2 ** 32])).toThrow(/32-bit/);
  });
});
