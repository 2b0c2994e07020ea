/** The FNV-1a 32-bit offset basis: the hash of nothing. */
export const FNV1A_OFFSET = 0x811c9dc5;

const FNV1A_PRIME = 0x01000193;

/**
 * FNV-1a, 32 bits, over 16-bit units: a string's UTF-16 code units, or a
 * number (or each number of a list) taken as a 32-bit integer, low 16 bits
 * first, then high. Pass the result of an earlier call as `hash` to continue
 * a hash over several parts (the default starts a new one). Returns an
 * unsigned 32-bit integer, the same on every engine. Fast and well spread,
 * not cryptographic.
 */
export function fnv1a(input: string | number | ArrayLike<number>, hash: number = FNV1A_OFFSET): number {
  let h = hash >>> 0;
  if (typeof input === 'number') {
    h = Math.imul(h ^ (input & 0xffff), FNV1A_PRIME);
    return Math.imul(h ^ ((input >>> 16) & 0xffff), FNV1A_PRIME) >>> 0;
  }
  if (typeof input === 'string') {
    for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input.charCodeAt(i), FNV1A_PRIME);
    return h >>> 0;
  }
  for (let i = 0; i < input.length; i++) {
    const value = input[i];
    h = Math.imul(h ^ (value & 0xffff), FNV1A_PRIME);
    h = Math.imul(h ^ ((value >>> 16) & 0xffff), FNV1A_PRIME);
  }
  return h >>> 0;
}
