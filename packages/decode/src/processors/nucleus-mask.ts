import { EXP_CAP, EXP_SCALE, expBuckets, expScaled, maxOf } from '../log-softmax.js';
import { smallestSetReachingMass } from '../partial-select.js';
import { SIMD_MIN_LENGTH, type SimdRow, simdRow } from '../simd/simd-row.js';

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
  /** Mass of the buckets before the boundary bucket (top-p). */
  before = 0;
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
function selectInBucket(probs: Float64Array, keys: Float64Array, bucketOf: Uint16Array, bucket: number, need: number, scratch: NucleusScratch): Set<number> {
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
  const staged = n >= SIMD_MIN_LENGTH ? simdRow() : null;
  if (staged !== null) {
    maskOutsideTopPStaged(logits, p, scratch, staged);
    return;
  }
  const { bucketOf, expMass } = scratch;
  const max = maxOf(logits);
  if (max === -Infinity) return;
  expMass.fill(0);
  const total = expBuckets(logits, max, bucketOf, expMass);
  if (!(total < Infinity)) return; // NaN or +Infinity in the row
  const boundary = boundaryBucket(expMass, p * total, scratch);
  if (boundary < 0) {
    // Rounding kept the cumulative mass just below p·total: keep every token with non-zero probability.
    for (let i = 0; i < n; i++) if (bucketOf[i] === EXP_CAP) logits[i] = -Infinity;
    return;
  }
  const { candIds } = scratch;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const b = bucketOf[i];
    if (b > boundary) logits[i] = -Infinity;
    else if (b === boundary) candIds[count++] = i;
  }
  keepInBoundary(logits, max, candIds, count, p * total - scratch.before, scratch);
}

/** `maskOutsideTopP` with the row staged for the SIMD kernels: the same buckets, masses and masks, to the bit. */
function maskOutsideTopPStaged(logits: Float32Array, p: number, scratch: NucleusScratch, staged: SimdRow): void {
  const { expMass, candIds } = scratch;
  staged.load(logits, 0, logits.length);
  const max = staged.max();
  if (max === -Infinity) return;
  expMass.fill(0);
  const total = staged.expBuckets(max, null, expMass);
  if (!(total < Infinity)) return;
  const boundary = boundaryBucket(expMass, p * total, scratch);
  const inBoundary = staged.maskBeyond(boundary < 0 ? EXP_CAP - 1 : boundary);
  staged.copyTo(logits);
  if (boundary < 0) {
    staged.knowLogSumExp(max, max + Math.log(total));
    return;
  }
  candIds.set(inBoundary);
  const count = inBoundary.length;
  const kept = keepInBoundary(logits, max, candIds, count, p * total - scratch.before, scratch);
  for (let t = kept; t < count; t++) staged.maskAt(candIds[t]); // the staged row stays equal to `logits`
  // The kept tokens' weights are summed already: the decoding loop's normaliser needs no pass of its own.
  let keptMass = scratch.before;
  for (let t = 0; t < kept; t++) keptMass += scratch.candMass[t];
  staged.knowLogSumExp(max, max + Math.log(keptMass));
}

/**
 * The bucket where the cumulative mass of `expMass` (in bucket order) first
 * reaches `need`, with the mass before it left in `scratch.before`; −1 when
 * rounding keeps the total just below `need`.
 */
function boundaryBucket(expMass: Float64Array, need: number, scratch: NucleusScratch): number {
  let before = 0;
  for (let b = 0; b < EXP_CAP; b++) {
    if (before + expMass[b] >= need) {
      scratch.before = before;
      return b;
    }
    before += expMass[b];
  }
  return -1;
}

/**
 * Of the `count` tokens `ids` of the boundary bucket (in id order), keep the
 * smallest set reaching `need` and mask the rest; returns how many are kept
 * (`ids` reordered: the masked ones follow the kept).
 */
function keepInBoundary(logits: Float32Array, max: number, ids: Int32Array, count: number, need: number, scratch: NucleusScratch): number {
  const { candKeys, candMass } = scratch;
  for (let c = 0; c < count; c++) {
    candKeys[c] = logits[ids[c]];
    candMass[c] = expScaled((max - logits[ids[c]]) * EXP_SCALE);
  }
  const kept = smallestSetReachingMass(candKeys, candMass, ids, count, need);
  for (let t = kept; t < count; t++) logits[ids[t]] = -Infinity;
  return kept;
}
