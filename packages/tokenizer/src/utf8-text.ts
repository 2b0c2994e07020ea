import { Utf8Error } from './errors.js';

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest prefix that fails to decode.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      decoder.decode();
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo < bytes.length ? lo : -1;
}

/**
 * Decode bytes as strict UTF-8; a bad byte is a {@link Utf8Error} naming
 * `what` and `where` (a path, a URL, a file name), its offset and its line.
 */
export function decodeUtf8Strict(bytes: Uint8Array, what: string, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new Utf8Error(`${what} ${where} is not UTF-8: invalid byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at offset ${at} (line ${lineOfOffset(bytes, at)}); re-save it as UTF-8`);
  }
}
