import * as tf from '@tensorflow/tfjs';

/** A small seeded generator (mulberry32): the same seed gives the same stream everywhere. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
