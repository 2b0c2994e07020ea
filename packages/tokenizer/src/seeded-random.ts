import { createRng } from '@seqloom/core';

/**
 * Standard normal samples (Box–Muller) from the project's one seeded
 * generator (`createRng` of `@seqloom/core`), `seed` taken modulo 2^32.
 */
export function seededNormal(seed: number): () => number {
  const rng = createRng(seed >>> 0);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u = Math.max(rng.next(), Number.MIN_VALUE);
    const v = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
