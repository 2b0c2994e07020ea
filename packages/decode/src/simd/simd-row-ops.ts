import { SIMD_MIN_LENGTH, simdRow } from './simd-row.js';

/**
 * The row operations of `log-softmax.ts` on the SIMD kernels: each returns
 * null where it does not apply (no WebAssembly SIMD, a short row, a row with
 * no finite maximum), and the caller then takes its plain path, which gives
 * the same results to within the kernels' relative 1e-10.
 */

/** Largest |maximum| the kernels take (see `expSum`); rows beyond go the plain way. */
const MAX_MAGNITUDE = 2 ** 20;

const F32 = new Float32Array(1);
const BITS = new Int32Array(F32.buffer);

/** The largest float32 below `x` (a float32 value other than −Infinity). */
export function nextDownF32(x: number): number {
  if (x === 0) return -1.401298464324817e-45;
  F32[0] = x;
  BITS[0] += x > 0 ? -1 : 1;
  return F32[0];
}

/** The smallest float32 at or above `x` (x finite or ±Infinity). */
export function ceilF32(x: number): number {
  const f = Math.fround(x);
  return f < x ? -nextDownF32(-f) : f;
}

/** The largest float32 at or below `x`. */
export function floorF32(x: number): number {
  const f = Math.fround(x);
  return f > x ? nextDownF32(f) : f;
}

/**
 * `logSumExpAndMax` on the SIMD kernels; null when the row is short, SIMD is
 * off, or the row has no finite maximum. With `f32` the exps are float32
 * (`expSumF32`: within 1e-6 of exact, for scores), else float64 (sampling).
 */
export function simdLogSumExpAndMax(logits: ArrayLike<number>, start: number, end: number, maxOut: Float64Array, at: number, f32 = false): number | null {
  if (end - start < SIMD_MIN_LENGTH || !(logits instanceof Float32Array)) return null;
  const row = simdRow();
  if (row === null) return null;
  const known = row.knownLogSumExp(logits, start, end);
  if (known !== null) {
    maxOut[at] = row.knownMax;
    return known;
  }
  row.loadOnce(logits, start, end);
  const max = row.max();
  if (max === Infinity) {
    maxOut[at] = Infinity;
    return NaN;
  }
  if (!(Math.abs(max) < MAX_MAGNITUDE)) return null; // every entry masked or NaN (the plain path says which), or a huge logit
  maxOut[at] = max;
  return max + Math.log(f32 ? row.expSumF32(max) : row.expSum(max));
}

/** Log-softmax of `logits` into `out` on the SIMD kernels (see `logSoftmaxInto`); null where they do not apply. */
export function simdLogSoftmaxInto(logits: Float32Array, out: Float32Array): number | null {
  const shift = simdLogSumExpAndMax(logits, 0, logits.length, SCRATCH_MAX, 0, true);
  if (shift === null) return null;
  const row = simdRow()!;
  row.subtractF32(Math.fround(shift));
  row.copyTo(out);
  return shift;
}

const SCRATCH_MAX = new Float64Array(1);

/** `argmax` on the SIMD kernels (index from `start`); null where they do not apply. */
export function simdArgmax(values: ArrayLike<number>, start: number, end: number): number | null {
  if (end - start < SIMD_MIN_LENGTH || !(values instanceof Float32Array)) return null;
  const row = simdRow();
  if (row === null) return null;
  row.loadOnce(values, start, end);
  const max = row.max();
  if (max === -Infinity) return -1;
  return row.firstAbove(0, nextDownF32(max));
}

/** `drawIndex` on the SIMD kernels (the same token, to the bit); null where they do not apply. */
export function simdDrawIndex(logits: Float32Array, start: number, vocab: number, shift: number, u: number): number | null {
  if (vocab < SIMD_MIN_LENGTH) return null;
  const row = simdRow();
  if (row === null) return null;
  row.loadOnce(logits, start, start + vocab);
  return row.drawIndex(shift, u);
}

/** Largest k for which `simdKthLargest` keeps a heap (beyond it quickselect is the better plan). */
const HEAP_K = 256;
const heap = new Float64Array(HEAP_K);

/**
 * The k-th largest of `values` (top-k), with the kernel scanning for entries
 * above the k-th largest seen so far: a bounded min-heap of k values, so
 * O(n) comparisons in SIMD and O(k log(n/k) log k) heap work for a row in
 * random order. Null where the kernels do not apply or k is large.
 */
export function simdKthLargest(values: Float32Array, k: number): number | null {
  const n = values.length;
  if (n < SIMD_MIN_LENGTH || k > HEAP_K) return null;
  const row = simdRow();
  if (row === null) return null;
  row.load(values, 0, n);
  let size = 0;
  for (let v = row.firstAbove(0, -Infinity); v < n; ) {
    const x = row.at(v);
    if (size < k) pushUp(heap, size++, x);
    else siftDown(heap, k, x);
    v = row.firstAbove(v + 1, size < k ? -Infinity : heap[0]);
  }
  return size < k ? -Infinity : heap[0];
}

/** Add `x` at position `size` of the min-heap and sift it up. */
function pushUp(h: Float64Array, size: number, x: number): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (h[parent] <= x) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = x;
}

/** Replace the root of the full min-heap (of `size`) with `x` and sift it down. */
function siftDown(h: Float64Array, size: number, x: number): void {
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && h[c + 1] < h[c]) c++;
    if (h[c] >= x) break;
    h[i] = h[c];
    i = c;
  }
  h[i] = x;
}

/**
 * Mask (−Infinity) every entry of `logits` below `threshold` (a float64; NaN
 * entries stay) on the SIMD kernels, with the row already staged when
 * `staged` is true; false where the kernels do not apply.
 */
export function simdMaskBelow(logits: Float32Array, threshold: number, staged = false): boolean {
  if (logits.length < SIMD_MIN_LENGTH) return false;
  const row = simdRow();
  if (row === null) return false;
  if (!staged) row.load(logits, 0, logits.length);
  row.maskBelow(ceilF32(threshold)); // x < t ⇔ x < (the smallest float32 ≥ t), for float32 x
  row.copyTo(logits);
  return true;
}

/** Temperature on the SIMD kernels: logits[i] = float32(logits[i] · factor); false where they do not apply. */
export function simdScale(logits: Float32Array, factor: number): boolean {
  if (logits.length < SIMD_MIN_LENGTH) return false;
  const row = simdRow();
  if (row === null) return false;
  row.load(logits, 0, logits.length);
  row.scale(factor);
  row.copyTo(logits);
  return true;
}

/** The largest entry of `logits` (NaN skipped, −Infinity when none), leaving the row staged; null where the kernels do not apply. */
export function simdStagedMax(logits: Float32Array): number | null {
  if (logits.length < SIMD_MIN_LENGTH) return null;
  const row = simdRow();
  if (row === null) return null;
  row.load(logits, 0, logits.length);
  return row.max();
}

/** out[v] = float32(logits[start + v] − shift) for v < out.length, on the SIMD kernels; false where they do not apply. */
export function simdSubtractInto(logits: Float32Array, start: number, shift: number, out: Float32Array): boolean {
  if (out.length < SIMD_MIN_LENGTH) return false;
  const row = simdRow();
  if (row === null) return false;
  row.load(logits, start, start + out.length);
  row.subtract(shift);
  row.copyTo(out);
  return true;
}
