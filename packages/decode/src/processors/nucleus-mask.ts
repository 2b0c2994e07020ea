import { EXP_CAP, EXP_SCALE, expBuckets, expScaled, maxOf } from '../log-softmax.js';
import { smallestSetReachingMass } from '../partial-select.js';

/** Buckets per unit of key (keys are log-scale: nats) and their number. */
const BUCKETS_PER_UNIT = 16;
const BUCKETS = 1024;

/** Reusable buffers for the mass-based filters (top-p, typical-p). */
export class NucleusScratch {
  /** Per token: probability (or any common positive multiple of it), and the ranking key (higher = kept first). */
  probs = new Float64Array(0);
  keys = new Float64Array(0);
  bucketOf = new Uint16Array(0);
  bucketMass = new Float64Array(BUCKETS);
  /** Mass per exp-table bucket (top-p). */
  expMass = new Float64Array(EXP_CAP + 1);
  /** Candidates of the boundary bucket (parallel arrays), reordered by the selection. */
  candKeys = new Float64Array(0);
  candMass = new Float64Array(0);
  candIds = new Int32Array(0);
  ensure(n: number): void {
    if (this.probs.length >= n) return;
    this.probs = new Float64Array(n);
    this.keys = new Float64Array(n);
    this.bucketOf = new Uint16Array(n);
    this.candKeys = new Float64Array(n);
    this.candMass = new Float64Array(n);
    this.candIds = new Int32Array(n);
  }
}

/**
 * Mask every token outside the smallest set, taken in descending order of
 * `scratch.keys` (lower id first on ties), whose weight (`scratch.probs`)
 * reaches `p` (on the same scale as the weights). Only tokens with non-zero probability are
 * candidates. O(vocab), no sort: tokens are bucketed by key (buckets are
 * monotone in the key, so ties share a bucket), the bucket where the
 * cumulative mass crosses p is found, and only that bucket's tokens go
 * through exact partial selection.
 */
export function maskOutsideMass(logits: Float32Array, p: number, scratch: NucleusScratch): void {
  const n = logits.length;
  const { probs, keys, bucketOf, bucketMass } = scratch;
  let maxKey = -Infinity;
  for (let i = 0; i < n; i++) if (probs[i] > 0 && keys[i] > maxKey) maxKey = keys[i];
  bucketMass.fill(0);
  for (let i = 0; i < n; i++) {
    if (!(probs[i] > 0)) continue;
    const b = Math.min(BUCKETS - 1, Math.floor((maxKey - keys[i]) * BUCKETS_PER_UNIT));
    bucketOf[i] = b;
    bucketMass[b] += probs[i];
  }
  let boundary = BUCKETS - 1;
  let before = 0;
  for (let b = 0; b < BUCKETS; b++) {
    if (before + bucketMass[b] >= p) {
      boundary = b;
      break;
    }
    before += bucketMass[b];
  }
  const keptInBoundary = selectInBucket(probs, keys, bucketOf, boundary, p - before, scratch);
  for (let i = 0; i < n; i++) {
    if (!(probs[i] > 0) || bucketOf[i] > boundary) logits[i] = -Infinity;
    else if (bucketOf[i] === boundary && !keptInBoundary.has(i)) logits[i] = -Infinity;
  }
}

/** The tokens of one bucket that complete the mass `need`, by exact partial selection. */
function selectInBucket(
  probs: Float64Array,
  keys: Float64Array,
  bucketOf: Uint16Array,
  bucket: number,
  need: number,
  scratch: NucleusScratch,
): Set<number> {
  const { candKeys, candMass, candIds } = scratch;
  let count = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] > 0 && bucketOf[i] === bucket) {
      candKeys[count] = keys[i];
      candMass[count] = probs[i];
      candIds[count++] = i;
    }
  }
  const kept = count === 0 ? 0 : smallestSetReachingMass(candKeys, candMass, candIds, count, need);
  return new Set(candIds.subarray(0, kept));
}

/**
 * Top-p (nucleus) filtering of `logits` in place: mask every token outside
 * the smallest set, taken in descending order of logit (lower id first on
 * ties), whose probability reaches `p`. Three passes, no sort: the maximum;
 * each token's exp and its bucket, the exp's own table index (1/16 octave
 * wide, so equal logits share one); then masking every bucket past the one
 * where the cumulative mass crosses p, and exact partial selection inside
 * that bucket. A row holding NaN or +Infinity is left as it is (the loop
 * reports it).
 */
export function maskOutsideTopP(logits: Float32Array, p: number, scratch: NucleusScratch): void {
  const n = logits.length;
  scratch.ensure(n);
  const { bucketOf, expMass } = scratch;
  const max = maxOf(logits);
  if (max === -Infinity) return;
  expMass.fill(0);
  const total = expBuckets(logits, max, bucketOf, expMass);
  if (!(total < Infinity)) return; // NaN or +Infinity in the row
  const need = p * total;
  let before = 0;
  let boundary = -1;
  for (let b = 0; b < EXP_CAP; b++) {
    if (before + expMass[b] >= need) {
      boundary = b;
      break;
    }
    before += expMass[b];
  }
  if (boundary < 0) {
    // Rounding kept the cumulative mass just below p·total: keep every token with non-zero probability.
    for (let i = 0; i < n; i++) if (bucketOf[i] === EXP_CAP) logits[i] = -Infinity;
    return;
  }
  const { candKeys, candMass, candIds } = scratch;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i];
    if (b > boundary) logits[i] = -Infinity;
    else if (b === boundary) {
      candKeys[count] = logits[i];
      candMass[count] = expScaled((max - logits[i]) * EXP_SCALE);
      candIds[count++] = i;
    }
  }
  const kept = smallestSetReachingMass(candKeys, candMass, candIds, count, need - before);
  for (let t = kept; t < count; t++) logits[candIds[t]] = -Infinity;
}
