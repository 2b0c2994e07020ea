/**
 * log Σ exp(logits), computed stably; −Infinity when every entry is masked
 * (or NaN when one is NaN). log p(i) = logits[i] − logSumExp(logits).
 */
export function logSumExp(logits: ArrayLike<number>): number {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (max === -Infinity || Number.isNaN(max)) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    if (x !== -Infinity) sum += Math.exp(x - max); // masked entries cost no exp
  }
  return max + Math.log(sum);
}

/**
 * Unnormalised softmax: `out[i] = exp(logits[i] − max)` (float64); returns
 * the sum, by which `out` divides into probabilities. Requires at least one
 * finite entry.
 */
export function expShiftedInto(logits: ArrayLike<number>, out: Float64Array): number {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    const e = x === -Infinity ? 0 : Math.exp(x - max);
    out[i] = e;
    sum += e;
  }
  return sum;
}

/** Softmax of `logits` into `out` (float64). Requires at least one finite entry. */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array): void {
  const sum = expShiftedInto(logits, out);
  for (let i = 0; i < logits.length; i++) out[i] /= sum;
}

/** Index of the largest entry; the lowest index wins ties. -1 when all are -Infinity or NaN. */
export function argmax(values: ArrayLike<number>, start = 0, end = values.length): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = start; i < end; i++) {
    if (values[i] > bestValue) {
      bestValue = values[i];
      best = i;
    }
  }
  return best === -1 ? -1 : best - start;
}
