import { FNV1A_OFFSET, fnv1a } from '@seqloom/core';
import { storeOf } from './example-list.js';
import type { ExampleStore } from './example-store.js';
import type { SequenceExample } from './sequence-example.js';

/** A running FNV-1a hash (`fnv1a` of `@seqloom/core`) over 32-bit values, 16 bits at a time. */
class Fnv {
  h = FNV1A_OFFSET;

  add(value: number): void {
    this.h = fnv1a(value, this.h);
  }

  addIds(ids: Int32Array, length: number): void {
    this.h = fnv1a(ids.subarray(0, length), fnv1a(length, this.h));
  }
}

/**
 * The {@link dataFingerprint} of examples added one at a time as a source
 * and a target (without the start and stop tokens), without keeping them.
 */
export class FingerprintBuilder {
  private readonly hash = new Fnv();
  private count = 0;

  constructor(
    private readonly bosId: number,
    private readonly eosId: number,
  ) {}

  add(source: readonly number[], target: readonly number[]): void {
    const hash = this.hash;
    hash.add(source.length);
    for (const id of source) hash.add(id);
    hash.add(target.length + 1);
    hash.add(this.bosId);
    for (const id of target) hash.add(id);
    hash.add(target.length + 1);
    for (const id of target) hash.add(id);
    hash.add(this.eosId);
    this.count += 1;
  }

  /** The fingerprint of the examples added so far. */
  value(): string {
    return `${this.count}:${(this.hash.h >>> 0).toString(16).padStart(8, '0')}`;
  }
}

/** Hashes every example of `store` (lengths and ids of source, targetIn, targetOut). */
function hashStore(store: ExampleStore): string {
  const hash = new Fnv();
  let source = new Int32Array(64);
  let targetIn = new Int32Array(64);
  let targetOut = new Int32Array(64);
  for (let i = 0; i < store.size; i++) {
    const s = store.sourceLength(i);
    const t = store.targetLength(i);
    if (s > source.length) source = new Int32Array(s * 2);
    if (t > targetIn.length) [targetIn, targetOut] = [new Int32Array(t * 2), new Int32Array(t * 2)];
    store.copySource(i, source, 0);
    store.copyTarget(i, targetIn, targetOut, 0);
    hash.addIds(source, s);
    hash.addIds(targetIn, t);
    hash.addIds(targetOut, t);
  }
  return `${store.size}:${(hash.h >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * A short hash of a list of examples (FNV-1a over every id and length), used
 * to refuse resuming a run on different training data. Examples of a
 * binarised folder take the fingerprint its header recorded.
 */
export function dataFingerprint(examples: readonly SequenceExample[] | ExampleStore): string {
  const store = storeOf(examples);
  return store.knownFingerprint ?? hashStore(store);
}

/** The longest source and `targetOut` (the target with its stop token) of some examples, in tokens. */
export function longestExample(examples: readonly SequenceExample[] | ExampleStore): { source: number; target: number } {
  const store = storeOf(examples);
  if (store.knownLongest) return store.knownLongest;
  let source = 0;
  let target = 0;
  for (let i = 0; i < store.size; i++) {
    source = Math.max(source, store.sourceLength(i));
    target = Math.max(target, store.targetLength(i));
  }
  return { source, target };
}
