/**
 * Max-heap of (count, pair key) entries for BPE training: highest count first, ties
 * broken by the smaller key so training is deterministic. Entries may go stale; the
 * trainer checks each popped count against the live one (lazy deletion).
 */
export class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  push(count: number, key: number): void {
    const counts = this.counts;
    const keys = this.keys;
    let i = counts.length;
    counts.push(count);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(count, key, counts[parent], keys[parent])) break;
      counts[i] = counts[parent];
      keys[i] = keys[parent];
      i = parent;
    }
    counts[i] = count;
    keys[i] = key;
  }

  /** Remove the top entry; returns false when empty. Read it first with {@link topCount}/{@link topKey}. */
  pop(): boolean {
    const counts = this.counts;
    const keys = this.keys;
    const n = counts.length;
    if (n === 0) return false;
    const lastCount = counts.pop() as number;
    const lastKey = keys.pop() as number;
    if (n === 1) return true;
    let i = 0;
    const size = n - 1;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && this.before(counts[right], keys[right], counts[left], keys[left])) child = right;
      if (!this.before(counts[child], keys[child], lastCount, lastKey)) break;
      counts[i] = counts[child];
      keys[i] = keys[child];
      i = child;
    }
    counts[i] = lastCount;
    keys[i] = lastKey;
    return true;
  }

  topCount(): number {
    return this.counts[0];
  }

  topKey(): number {
    return this.keys[0];
  }

  private before(countA: number, keyA: number, countB: number, keyB: number): boolean {
    return countA > countB || (countA === countB && keyA < keyB);
  }
}
