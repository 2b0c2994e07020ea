import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, isRngState, SeededRng, SeqloomError } from '../src/index.js';

const u32 = (x: number): number => Math.round(x * 2 ** 32);

describe('createRng (xoshiro128**)', () => {
  it('matches the reference xoshiro128** output for state [1, 2, 3, 4]', () => {
    const rng = createRng(0);
    rng.setState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => u32(rng.next()))).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('keeps the sequence every saved seed and checkpoint relies on (splitmix32 seeding)', () => {
    const rng = createRng(42);
    expect(Array.from({ length: 5 }, () => u32(rng.next()))).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
    expect(createRng(2 ** 32 + 42).next()).not.toBe(createRng(42).next());
  });

  it('resumes exactly from a saved (JSON) state', () => {
    const a = createRng(7);
    for (let i = 0; i < 10; i++) a.next();
    const saved = JSON.parse(JSON.stringify(a.getState()));
    const expected = Array.from({ length: 5 }, () => a.next());
    const b = createRng(999);
    b.setState(saved);
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(expected);
  });

  it('refuses a seed that is not a safe integer and a state that is not four words, naming the option', () => {
    for (const seed of [1.5, Number.NaN, 2 ** 60, '3' as never]) {
      expect(() => createRng(seed)).toThrow(SeqloomError);
    }
    expect(() => createRng(1.5)).toThrow('seed: expected a safe integer, got 1.5');
    const rng = createRng(1);
    for (const state of [[0, 0, 0, 0], [1, 2, 3], [1, 2, 3, 2 ** 32], [1, 2, 3, -1], 'x']) {
      let error: unknown;
      try {
        rng.setState(state as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SeqloomError);
      expect((error as SeqloomError).option).toBe('rng state');
      expect((error as SeqloomError).message).toMatch(/four unsigned 32-bit integers, not all zero/);
    }
    expect(isRngState([1, 0, 0, 0])).toBe(true);
    expect(isRngState([0, 0, 0, 0])).toBe(false);
  });
});

describe('SeededRng', () => {
  it('shuffles as it always has for a seed, and resumes from its state', () => {
    expect(new SeededRng(3).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual([8, 1, 4, 0, 2, 9, 6, 3, 5, 7]);
    const a = new SeededRng(5);
    a.nextUint32();
    const b = SeededRng.fromState(a.getState());
    expect([a.nextInt(1000), a.next(), a.nextUint32()]).toEqual([b.nextInt(1000), b.next(), b.nextUint32()]);
  });

  it('draws the words of createRng with the same seed', () => {
    const [a, b] = [new SeededRng(9), createRng(9)];
    expect(a.nextUint32()).toBe(u32(b.next()));
    expect(Number.isInteger(a.nextUint32())).toBe(true);
  });

  it('refuses a seed that is not finite and a bad state', () => {
    expect(() => new SeededRng(Number.POSITIVE_INFINITY)).toThrow(/seed must be a finite number/);
    expect(() => SeededRng.fromState([1, 2, 3])).toThrow(/four unsigned 32-bit integers/);
  });
});

describe('deriveSeed', () => {
  it('keeps the seeds that shuffles and migrated checkpoints were derived with', () => {
    expect(deriveSeed(42)).toBe(939911724);
    expect(deriveSeed(42, 0xba7c4, 0)).toBe(712520703);
    expect(deriveSeed(42, 0xba7c4, 7)).toBe(4198142290);
    expect(deriveSeed(1, 2, 3, 4)).toBe(1012010297);
    expect(deriveSeed(2 ** 32 + 5, 9)).toBe(1780265482);
  });

  it('gives distinct unsigned 32-bit seeds for distinct labels, strings included', () => {
    const seeds = new Set<number>();
    for (let shard = 0; shard < 1000; shard++) seeds.add(deriveSeed(7, shard));
    seeds.add(deriveSeed(7, 'dropout')).add(deriveSeed(7, 'shuffle'));
    expect(seeds.size).toBe(1002);
    for (const seed of seeds) expect(seed >>> 0).toBe(seed);
    expect(deriveSeed(7, 'dropout')).toBe(deriveSeed(7, 'dropout'));
    expect(deriveSeed(7, 1, 2)).not.toBe(deriveSeed(7, 2, 1));
  });

  it('refuses a seed or label that is not a finite number (or a string label)', () => {
    expect(() => deriveSeed(Number.NaN)).toThrow(SeqloomError);
    expect(() => deriveSeed(1, undefined as never)).toThrow('deriveSeed: label 1 must be a finite number or a string, got undefined');
  });
});
