/**
 * Numerically stable log-softmax of `logits` into `out` (same length), in
 * float64. Masked entries (`-Infinity`) stay `-Infinity`. Returns the row's
 * maximum logit; `-Infinity` means every entry is masked and `out` is unchanged.
 */
export function logSoftmaxInto(logits: ArrayLike<number>, out: Float64Array): number {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (max === -Infinity) return max;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i];
    if (x !== -Infinity) sum += Math.exp(x - max); // masked entries cost no exp
  }
  const shift = max + Math.log(sum);
  for (let i = 0; i < n; i++) out[i] = logits[i] - shift;
  return max;
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
  for (let i = 0; i < n; i++) out[i] /= sum;
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
