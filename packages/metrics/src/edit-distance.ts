/**
 * Levenshtein distance (insertions, deletions and substitutions all cost 1)
 * between two sequences, compared with `===`. Runs in O(|a|·|b|) time and
 * O(min(|a|, |b|)) memory.
 */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  // Keep the shorter sequence on the inner loop so the row stays small.
  if (a.length < b.length) [a, b] = [b, a];
  const n = b.length;
  if (n === 0) return a.length;
  let previous = new Int32Array(n + 1);
  let current = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= n; j++) {
      const substitution = previous[j - 1] + (ai === b[j - 1] ? 0 : 1);
      const deletion = previous[j] + 1;
      const insertion = current[j - 1] + 1;
      current[j] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return previous[n];
}
