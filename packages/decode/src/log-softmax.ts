/**
 * Softmax arithmetic over rows of logits, built for vocabularies of tens of
 * thousands: one pass where it can, no `Math.exp` per element.
 *
 * exp is computed as 2^(−u/K) with u = (max − x)·K·log₂e ≥ 0: u rounded to
 * the nearest integer j picks 2^(−j/K) from a table, and a quartic in the rest
 * r ∈ [−½, ½] does the remaining factor. Relative error below 1e-10 (float32
 * logits carry 6e-8), the maximum itself gives exactly 1, and any term below
 * 2^−64 of the largest counts as exactly 0 (a masked −Infinity entry too).
 * The arithmetic is plain float64, so it gives the same bits on every machine.
 */

import { bucketTotal } from './bucket-total.js';
import { simdArgmax, simdDrawIndex, simdLogSoftmaxInto, simdLogSumExpAndMax } from './simd/simd-row-ops.js';

/** Table steps per octave. */
const K = 16;
/** Table size: terms at or below 2^−64 of the maximum are 0. */
export const EXP_CAP = 64 * K;
/** POW2[j] = 2^(−j/K); POW2[EXP_CAP] = 0. */
const POW2 = new Float64Array(EXP_CAP + 1);
for (let j = 0; j < EXP_CAP; j++) POW2[j] = 2 ** (-j / K);
/** u per nat: u = (max − x) · EXP_SCALE. */
export const EXP_SCALE = Math.LOG2E * K;
const A = Math.LN2 / K;
const C1 = -A;
const C2 = (A * A) / 2;
const C3 = -(A * A * A) / 6;
const C4 = (A * A * A * A) / 24;
/** 1.5 · 2^52: (u + ROUND) − ROUND rounds u to the nearest integer. */
const ROUND = 6755399441055744;

/**
 * exp(−u / EXP_SCALE) for u ≥ 0 (u > EXP_CAP gives 0; NaN gives NaN). The
 * kernel of every function here; small enough for the JIT to inline.
 */
export function expScaled(u: number): number {
  if (u > EXP_CAP) u = EXP_CAP;
  const j = u + ROUND - ROUND;
  const r = u - j;
  const r2 = r * r;
  return POW2[j | 0] * (1 + C1 * r + r2 * (C2 + C3 * r + C4 * r2));
}

/** exp(d) for d ≤ 0 (−Infinity gives 0), to within a relative 1e-10; `Math.exp` for d > 0. */
export function expNonPositive(d: number): number {
  const u = -d * EXP_SCALE;
  return u >= 0 ? expScaled(u) : Math.exp(d);
}

/**
 * log Σ exp(logits[start … end)), in one pass (the running maximum rescales
 * the sum when it grows); −Infinity when every entry is masked (or the range
 * is empty), NaN when one is NaN or +Infinity. log p(i) = logits[i] − logSumExp(logits).
 */
export function logSumExp(logits: ArrayLike<number>, start = 0, end = logits.length): number {
  return logSumExpAndMax(logits, start, end, NO_MAX, 0);
}

const NO_MAX = new Float64Array(1);

/** Entries per call of the inner loop (see `logSumExpAndMax`). */
const BLOCK = 4096;
/** [running maximum, sum against it], threaded through the blocks of one row. */
const RUNNING = new Float64Array(2);
const LOWEST = -1.7976931348623157e308; // −Number.MAX_VALUE

/**
 * `logSumExp`, also writing the range's maximum (−Number.MAX_VALUE when all
 * are masked) to `maxOut[at]`. Long float32 rows go through the WebAssembly
 * SIMD kernels where the runtime has them; `logSumExpAndMaxPlain` is the
 * plain TypeScript path (and the kernels' oracle in the tests).
 */
export function logSumExpAndMax(logits: ArrayLike<number>, start: number, end: number, maxOut: Float64Array, at: number): number {
  return simdLogSumExpAndMax(logits, start, end, maxOut, at) ?? logSumExpAndMaxPlain(logits, start, end, maxOut, at);
}

/**
 * `logSumExpAndMax` with float32 exps on the SIMD kernels for long rows:
 * within 1e-6·max(1, |result|) of exact, −Infinity and NaN as exact; for
 * scores (greedy, beam), not for sampling draws.
 */
export function logSumExpAndMaxF32(logits: ArrayLike<number>, start: number, end: number, maxOut: Float64Array, at: number): number {
  return simdLogSumExpAndMax(logits, start, end, maxOut, at, true) ?? logSumExpAndMaxPlain(logits, start, end, maxOut, at);
}

/** `logSumExpAndMax` in plain TypeScript. */
export function logSumExpAndMaxPlain(logits: ArrayLike<number>, start: number, end: number, maxOut: Float64Array, at: number): number {
  // The row goes through in blocks: a function with one long loop, first run cold, is left by V8
  // (node 20) in on-stack-replaced code that deoptimises on every call; many short calls get it compiled.
  const running = RUNNING;
  running[0] = LOWEST;
  running[1] = 0;
  for (let b = start; b < end; b += BLOCK) logSumExpBlock(logits, b, end - b > BLOCK ? b + BLOCK : end, running);
  const max = running[0];
  const sum = running[1];
  maxOut[at] = max;
  if (sum === 0) return -Infinity;
  if (max === Infinity) return NaN;
  return max + Math.log(sum);
}

/** One block of `logSumExpAndMax`: updates `running` = [max, Σ exp(x − max)] with `logits[start … end)`. */
function logSumExpBlock(logits: ArrayLike<number>, start: number, end: number, running: Float64Array): void {
  // No calls in the loop (one that the JIT does not inline spills every register): the exp is written out twice.
  let max = running[0];
  let sum = running[1];
  for (let i = start; i < end; i++) {
    const x = logits[i];
    if (x === -Infinity) continue; // masked: costs one comparison (rows after top-k / top-p are mostly masked)
    let u = (max - x) * EXP_SCALE;
    if (u < 0) {
      // A new maximum: rescale what was summed against the old one (rare after the first few entries).
      let w = -u;
      if (w > EXP_CAP) w = EXP_CAP;
      const k = w + ROUND - ROUND;
      const q = w - k;
      const q2 = q * q;
      sum *= POW2[k | 0] * (1 + C1 * q + q2 * (C2 + C3 * q + C4 * q2));
      max = x;
      u = 0;
    }
    if (u > EXP_CAP) u = EXP_CAP;
    const j = u + ROUND - ROUND;
    const r = u - j;
    const r2 = r * r;
    sum += POW2[j | 0] * (1 + C1 * r + r2 * (C2 + C3 * r + C4 * r2));
  }
  running[0] = max;
  running[1] = sum;
}

/**
 * Log-softmax of `logits` into `out` (float32, may be `logits` itself);
 * returns the normaliser logSumExp(logits), computed as `logSumExpAndMaxF32`
 * does (within 1e-6 of exact). Each out[i] is logits[i] − normaliser in
 * float32; on the SIMD kernels the subtraction is float32 arithmetic with
 * the normaliser rounded to float32 (at most |normaliser|·6e-8 more).
 * Requires at least one finite entry (else `out` holds −Infinity or NaN).
 */
export function logSoftmaxInto(logits: Float32Array, out: Float32Array): number {
  return simdLogSoftmaxInto(logits, out) ?? logSoftmaxIntoPlain(logits, out);
}

/** `logSoftmaxInto` in plain TypeScript. */
export function logSoftmaxIntoPlain(logits: Float32Array, out: Float32Array): number {
  const shift = logSumExpAndMaxPlain(logits, 0, logits.length, NO_MAX, 0);
  const n = logits.length;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = logits[i] - shift;
    const b = logits[i + 1] - shift;
    const c = logits[i + 2] - shift;
    const d = logits[i + 3] - shift;
    out[i] = a;
    out[i + 1] = b;
    out[i + 2] = c;
    out[i + 3] = d;
  }
  for (; i < n; i++) out[i] = logits[i] - shift;
  return shift;
}

/** The largest of `values[start … end)` (NaN entries are skipped); −Infinity when none is larger. */
export function maxOf(values: ArrayLike<number>, start = 0, end = values.length): number {
  let a = -Infinity;
  let b = -Infinity;
  let c = -Infinity;
  let d = -Infinity;
  let i = start;
  for (; i + 3 < end; i += 4) {
    const w = values[i];
    const x = values[i + 1];
    const y = values[i + 2];
    const z = values[i + 3];
    if (w > a) a = w;
    if (x > b) b = x;
    if (y > c) c = y;
    if (z > d) d = z;
  }
  for (; i < end; i++) if (values[i] > a) a = values[i];
  if (b > a) a = b;
  if (c > a) a = c;
  if (d > a) a = d;
  return a;
}

/**
 * Unnormalised softmax: `out[i] = exp(logits[i] − max)` (float64); returns
 * the sum, by which `out` divides into probabilities. Requires at least one
 * finite entry.
 */
export function expShiftedInto(logits: ArrayLike<number>, out: Float64Array): number {
  const n = logits.length;
  const max = maxOf(logits);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let u = (max - logits[i]) * EXP_SCALE;
    if (u > EXP_CAP) u = EXP_CAP;
    const j = u + ROUND - ROUND;
    const r = u - j;
    const r2 = r * r;
    const e = POW2[j | 0] * (1 + C1 * r + r2 * (C2 + C3 * r + C4 * r2));
    out[i] = e;
    sum += e;
  }
  return sum;
}

/**
 * For top-p: with `max` the row's maximum, each token's weight
 * exp(logits[i] − max) is added to `bucketMass[b]`, b = its exp-table index
 * (1/16 octave per bucket, EXP_CAP for weights that count as 0), written to
 * `bucketOf[i]`; returns the total weight, summed over the buckets in
 * bucket order (`bucketTotal`: a pass over the row has no serial sum, and
 * the cumulative mass of every bucket is then exactly the total), NaN when a
 * logit is NaN or +Infinity.
 * `bucketMass` (length > EXP_CAP) must hold zeros.
 */
export function expBuckets(logits: Float32Array, max: number, bucketOf: Uint16Array, bucketMass: Float64Array): number {
  const n = logits.length;
  for (let i = 0; i < n; i++) {
    let u = (max - logits[i]) * EXP_SCALE;
    if (u > EXP_CAP) u = EXP_CAP;
    const j = u + ROUND - ROUND;
    const r = u - j;
    const r2 = r * r;
    const e = POW2[j | 0] * (1 + C1 * r + r2 * (C2 + C3 * r + C4 * r2));
    const b = j | 0;
    bucketOf[i] = b;
    bucketMass[b] += e;
  }
  return bucketTotal(bucketMass);
}

/**
 * Inverse-CDF draw: the first token v (in id order) of `logits[start …
 * start+vocab)` at which Σ exp(logits − shift) exceeds `u` ∈ [0, 1); the
 * last allowed token when rounding leaves u at or above the total; −1 when
 * every token is masked.
 */
export function drawIndex(logits: Float32Array, start: number, vocab: number, shift: number, u: number): number {
  return simdDrawIndex(logits, start, vocab, shift, u) ?? drawIndexPlain(logits, start, vocab, shift, u);
}

/** `drawIndex` in plain TypeScript. */
export function drawIndexPlain(logits: Float32Array, start: number, vocab: number, shift: number, u: number): number {
  let acc = 0;
  let last = -1;
  for (let v = 0; v < vocab; v++) {
    const x = logits[start + v];
    if (x === -Infinity) continue;
    let w = (shift - x) * EXP_SCALE;
    if (!(w >= 0)) {
      acc += Math.exp(x - shift); // x above the normaliser (only by rounding)
    } else {
      if (w > EXP_CAP) w = EXP_CAP;
      const j = w + ROUND - ROUND;
      const r = w - j;
      const r2 = r * r;
      acc += POW2[j | 0] * (1 + C1 * r + r2 * (C2 + C3 * r + C4 * r2));
    }
    last = v;
    if (u < acc) return v;
  }
  return last;
}

/** Softmax of `logits` into `out` (float64). Requires at least one finite entry. */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array): void {
  const sum = expShiftedInto(logits, out);
  for (let i = 0; i < logits.length; i++) out[i] /= sum;
}

/** Index of the largest entry; the lowest index wins ties. -1 when all are -Infinity or NaN. */
export function argmax(values: ArrayLike<number>, start = 0, end = values.length): number {
  return simdArgmax(values, start, end) ?? argmaxPlain(values, start, end);
}

/** `argmax` in plain TypeScript. */
export function argmaxPlain(values: ArrayLike<number>, start = 0, end = values.length): number {
  const max = maxOf(values, start, end);
  if (max === -Infinity) return -1;
  for (let i = start; i < end; i++) if (values[i] === max) return i - start;
  return -1;
}
