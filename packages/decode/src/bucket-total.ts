/**
 * The total of top-p's bucket masses, summed in bucket order: the one order
 * both the plain and the SIMD bucket passes use, so that their totals agree
 * to the bit, and the cumulative mass up to the last bucket is exactly the
 * total. NaN when a mass is NaN.
 */
export function bucketTotal(bucketMass: Float64Array): number {
  let total = 0;
  for (let b = 0; b < bucketMass.length; b++) total += bucketMass[b];
  return total;
}
