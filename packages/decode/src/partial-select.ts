/**
 * Partial selection in O(n) expected time (quickselect), used instead of
 * sorting a whole vocabulary per row: the k-th largest value (top-k), the top
 * candidates of a beam (bounded heap), and the smallest set of entries whose
 * mass reaches p (top-p, typical-p).
 */

import { SIMD_MIN_LENGTH, simdRow } from './simd/simd-row.js';
import { floorF32 } from './simd/simd-row-ops.js';

/**
 * The k-th largest of `values` (1-based k ≤ values.length), with `scratch`
 * (length ≥ values.length) used as working space.
 */
export function kthLargest(values: ArrayLike<number>, k: number, scratch: Float64Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[i];
  let lo = 0;
  let hi = n - 1;
  const target = k - 1; // position in descending order
  while (lo < hi) {
    const pivot = medianOf3(scratch[lo], scratch[(lo + hi) >>> 1], scratch[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (scratch[i] > pivot) i++;
      while (scratch[j] < pivot) j--;
      if (i <= j) {
        const t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return scratch[target];
  }
  return scratch[target];
}

function medianOf3(a: number, b: number, c: number): number {
  if (a > b) [a, b] = [b, a];
  if (b > c) b = c;
  return a > b ? a : b;
}

/**
 * The smallest set of candidates, taken in descending order of key (lower
 * index first on ties), whose mass sums to at least `p`. Candidates are the
 * first `count` entries of the parallel arrays `keys`, `mass` and `ids`,
 * which are reordered in place: the kept candidates end up in front, and
 * their number is returned. Expected O(count): each round partitions the
 * remaining candidates around a pivot and keeps only the side that holds the
 * boundary. When the total mass is below `p` all candidates are kept.
 */
export function smallestSetReachingMass(keys: Float64Array, mass: Float64Array, ids: Int32Array, count: number, p: number): number {
  let lo = 0;
  let hi = count; // the boundary lies in [lo, hi)
  let need = p;
  while (lo < hi) {
    swap(keys, mass, ids, lo + ((hi - lo) >>> 1), hi - 1);
    const pk = keys[hi - 1];
    const pi = ids[hi - 1];
    let store = lo;
    let above = 0;
    for (let i = lo; i < hi - 1; i++) {
      const k = keys[i];
      if (k > pk || (k === pk && ids[i] < pi)) {
        above += mass[i];
        swap(keys, mass, ids, i, store++);
      }
    }
    swap(keys, mass, ids, store, hi - 1);
    if (above >= need) {
      hi = store; // the boundary is strictly among the entries before the pivot
    } else if (above + mass[store] >= need) {
      return store + 1;
    } else {
      need -= above + mass[store];
      lo = store + 1;
    }
  }
  return lo === 0 && count > 0 ? 1 : lo;
}

function swap(keys: Float64Array, mass: Float64Array, ids: Int32Array, a: number, b: number): void {
  if (a === b) return;
  const k = keys[a];
  keys[a] = keys[b];
  keys[b] = k;
  const m = mass[a];
  mass[a] = mass[b];
  mass[b] = m;
  const i = ids[a];
  ids[a] = ids[b];
  ids[b] = i;
}

/** A candidate for beam selection: a score with the row and token it extends. */
export interface Candidate {
  score: number;
  row: number;
  token: number;
}

/**
 * Keeps the `k` best candidates seen so far in a bounded min-heap
 * (O(n log k) for n offers, no full sort). Ties prefer the earlier offer.
 */
export class TopCandidates {
  private readonly scores: Float64Array;
  private readonly rows: Int32Array;
  private readonly tokens: Int32Array;
  private readonly seq: Float64Array;
  private size = 0;
  private counter = 0;
  constructor(readonly k: number) {
    this.scores = new Float64Array(k);
    this.rows = new Int32Array(k);
    this.tokens = new Int32Array(k);
    this.seq = new Float64Array(k);
  }

  /** Empties the heap for reuse. */
  reset(): void {
    this.size = 0;
    this.counter = 0;
  }

  /** The score a new candidate must beat to enter (−Infinity while not full). */
  get threshold(): number {
    return this.size < this.k ? -Infinity : this.scores[0];
  }

  offer(score: number, row: number, token: number): void {
    const seq = this.counter++;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(score, seq, this.scores[parent], this.seq[parent])) break;
        this.move(parent, i);
        i = parent;
      }
      this.put(i, score, row, token, seq);
    } else if (this.worse(this.scores[0], this.seq[0], score, seq)) {
      this.siftDownFromRoot(score, row, token, seq);
    }
  }

  /** The kept candidates, best first. */
  sorted(): Candidate[] {
    // insertion sort of the slots by (score descending, offer order ascending); k is small
    const order: number[] = [];
    for (let i = 0; i < this.size; i++) {
      let j = order.length;
      order.push(i);
      while (j > 0 && this.worse(this.scores[order[j - 1]], this.seq[order[j - 1]], this.scores[i], this.seq[i])) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = i;
    }
    return order.map((i) => ({ score: this.scores[i], row: this.rows[i], token: this.tokens[i] }));
  }

  /** a is worse than b: lower score, or equal score and offered later. */
  private worse(aScore: number, aSeq: number, bScore: number, bSeq: number): boolean {
    return aScore < bScore || (aScore === bScore && aSeq > bSeq);
  }

  private siftDownFromRoot(score: number, row: number, token: number, seq: number): void {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      let c = l;
      if (r < this.size && this.worse(this.scores[r], this.seq[r], this.scores[l], this.seq[l])) c = r;
      if (!this.worse(this.scores[c], this.seq[c], score, seq)) break;
      this.move(c, i);
      i = c;
    }
    this.put(i, score, row, token, seq);
  }

  private move(from: number, to: number): void {
    this.scores[to] = this.scores[from];
    this.rows[to] = this.rows[from];
    this.tokens[to] = this.tokens[from];
    this.seq[to] = this.seq[from];
  }

  private put(i: number, score: number, row: number, token: number, seq: number): void {
    this.scores[i] = score;
    this.rows[i] = row;
    this.tokens[i] = token;
    this.seq[i] = seq;
  }
}

/**
 * Offer row `row`'s tokens to `heap` with score `a + (z − b)` for each logit
 * z of `logits[off … off+V)` (minus `lambda · counts[v]` when `counts` is
 * given), skipping −Infinity. The scan compares raw logits against the heap's
 * threshold moved into logit space, so most tokens cost one comparison; a row
 * whose largest logit `rowMax` cannot beat the threshold is skipped whole.
 * The candidates kept are exactly those of scoring every token.
 */
export function offerRow(
  heap: TopCandidates,
  logits: Float32Array,
  off: number,
  V: number,
  a: number,
  b: number,
  row: number,
  rowMax = Infinity,
  counts: Float64Array | null = null,
  lambda = 0,
): void {
  const threshold = heap.threshold;
  if (a + (rowMax - b) <= threshold) return;
  const staged = V >= SIMD_MIN_LENGTH ? simdRow() : null;
  if (staged === null) {
    offerRange(heap, logits, off, 0, V, a, b, row, counts, lambda);
    return;
  }
  // The kernel finds the next logit above the floor (lowered to a float32), eight entries at a time.
  staged.loadOnce(logits, off, off + V);
  for (let v = staged.firstAbove(0, floorF32(logitFloor(threshold, a, b))); v < V; ) {
    offerRange(heap, logits, off, v, v + 1, a, b, row, counts, lambda);
    v = staged.firstAbove(v + 1, floorF32(logitFloor(heap.threshold, a, b)));
  }
}

/** `offerRow` over the tokens `from … to)`, in plain TypeScript. */
function offerRange(
  heap: TopCandidates,
  logits: Float32Array,
  off: number,
  from: number,
  to: number,
  a: number,
  b: number,
  row: number,
  counts: Float64Array | null,
  lambda: number,
): void {
  let threshold = heap.threshold;
  let zMin = logitFloor(threshold, a, b);
  for (let v = from; v < to; v++) {
    const z = logits[off + v];
    if (z > zMin) {
      let score = a + (z - b);
      if (counts !== null) score -= lambda * counts[v];
      if (score > threshold) {
        heap.offer(score, row, v);
        threshold = heap.threshold;
        zMin = logitFloor(threshold, a, b);
      }
    }
  }
}

/** A logit below which `a + (z − b)` cannot exceed `threshold`, with room for rounding. */
function logitFloor(threshold: number, a: number, b: number): number {
  return threshold - a + b - 1e-9 * (1 + Math.abs(threshold) + Math.abs(a) + Math.abs(b));
}
