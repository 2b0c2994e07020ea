// Whether one-character regular expression atoms (literals, escapes, classes
// with Unicode properties, …) can match a common character. The answer is
// exact: JavaScript's own engine tests the atoms together on a text holding
// every Unicode scalar value once.

let everyCharacter: string | undefined;

/** Every Unicode scalar value once, in code point order (surrogates left out); 4 MB, built on first use. */
function allCharacters(): string {
  if (everyCharacter !== undefined) return everyCharacter;
  const units = new Uint16Array(0xd800 + 0x2000 + 0x100000 * 2);
  let n = 0;
  for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) units[n++] = c;
  for (let c = 0; c < 0x100000; c++) {
    units[n++] = 0xd800 + (c >> 10);
    units[n++] = 0xdc00 + (c & 0x3ff);
  }
  everyCharacter = new TextDecoder('utf-16le').decode(units);
  return everyCharacter;
}

const cache = new Map<string, boolean>();
const CACHE_LIMIT = 4096;

/** A literal atom that stands for itself (no escape, class or dot). */
function literal(atom: string): string | null {
  return /^[^\\[.(]$/u.test(atom) ? atom : null;
}

/**
 * True when some character matches, for every set, at least one atom of that set.
 * Each atom is the source of a one-character 'u'-mode expression (`a`, `\s`,
 * `[^\r\n\p{L}]`, `\p{N}`, `.`, …).
 */
export function sharesCharacter(sets: readonly (readonly string[])[]): boolean {
  if (sets.some((set) => set.length === 0)) return false;
  const literals = sets.map((set) => set.map(literal));
  if (literals.every((set) => set.every((c) => c !== null))) {
    return literals[0].some((c) => literals.every((set) => set.includes(c)));
  }
  const key = JSON.stringify(sets);
  const known = cache.get(key);
  if (known !== undefined) return known;
  const union = (set: readonly string[]) => `(?:${set.join('|')})`;
  const tests = sets
    .slice(0, -1)
    .map((set) => `(?=${union(set)})`)
    .join('');
  let answer = true; // an expression the engine will not compile is treated as overlapping
  try {
    answer = new RegExp(tests + union(sets[sets.length - 1]), 'u').test(allCharacters());
  } catch {
    answer = true;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, answer);
  return answer;
}
