import { createRng, type Rng } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';

/** A seeded uniform stream: the project's one generator (`createRng` of `@seqloom/core`). */
export class SeededRandom {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = createRng(seed >>> 0);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.rng.next();
  }
  /** A fresh 31-bit seed for a tfjs random op. */
  nextSeed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }
}

/**
 * Applies dropout during training, deterministically: every call draws its own
 * tfjs seed from one {@link SeededRandom}, so a loss call with the same seed
 * drops the same units. Outside training it is the identity.
 */
export class Dropper {
  private readonly random: SeededRandom;
  constructor(
    private readonly training: boolean,
    seed: number,
  ) {
    this.random = new SeededRandom(seed);
  }

  /** True when `apply(x, rate)` returns x unchanged. */
  isIdentity(rate: number): boolean {
    return !this.training || rate <= 0;
  }

  apply<T extends tf.Tensor>(x: T, rate: number): T {
    if (!this.training || rate <= 0) return x;
    return tf.dropout(x, rate, undefined, this.random.nextSeed()) as T;
  }
}
