/** Edit distance between two short strings (for "did you mean"). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The known name closest to `name`, if it is close enough to be a plausible
 * typo (at most a third of its length away, and never more than 3 edits), or
 * if one name starts with the other.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  if (bestDistance <= limit) return best;
  const prefix = known.find((k) => name.length >= 3 && (k.startsWith(name) || name.startsWith(k)));
  return prefix;
}
