import { createRng } from '@seqloom/decode';

/** A seeded uniform stream in [0, 1): the project's one generator (xoshiro128** of `@seqloom/decode`). */
export function seededUniform(seed: number): () => number {
  const rng = createRng(seed >>> 0);
  return () => rng.next();
}

/** Standard normal samples (Box–Muller) from a seeded uniform stream. */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u = Math.max(uniform(), Number.MIN_VALUE);
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
