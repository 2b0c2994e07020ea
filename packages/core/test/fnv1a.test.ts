import { describe, expect, it } from 'vitest';
import { FNV1A_OFFSET, fnv1a, mix32 } from '../src/index.js';

describe('fnv1a', () => {
  it('gives the published FNV-1a 32-bit values for ASCII text', () => {
    expect(fnv1a('')).toBe(FNV1A_OFFSET);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('hashes a number as its low then high 16 bits, and continues from an earlier hash', () => {
    expect(fnv1a([0x00620061])).toBe(fnv1a('ab'));
    expect(fnv1a(0x00620061)).toBe(fnv1a('ab'));
    expect(fnv1a(2, fnv1a(1))).toBe(fnv1a([1, 2]));
    expect(fnv1a('b', fnv1a('a'))).toBe(fnv1a('ab'));
    expect(fnv1a(Int32Array.of(3, -1))).toBe(fnv1a([3, 0xffffffff]));
    expect(fnv1a([1, 2])).not.toBe(fnv1a([2, 1]));
  });

  it('stays an unsigned 32-bit integer', () => {
    for (const text of ['x', 'é漢字', '\u{1f600}']) expect(fnv1a(text) >>> 0).toBe(fnv1a(text));
  });
});

describe('mix32', () => {
  it('is the MurmurHash3 finaliser: a bijection that spreads nearby inputs', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).toBe(0x514e28b7);
    const seen = new Set(Array.from({ length: 4096 }, (_, i) => mix32(i) >>> 20));
    expect(seen.size).toBeGreaterThan(2400); // ~4096 × (1 − 1/e) of the 4096 top-12-bit buckets
  });
});
