import { SeqloomError } from './seqloom-error.js';

/** Bytes that are not UTF-8: names the source, the first bad byte, its offset and line. */
export class Utf8DecodeError extends SeqloomError {
  override readonly name = 'Utf8DecodeError';
  /** What the bytes are (a file path, a URL, "standard input"), as given to {@link decodeUtf8}. */
  readonly source: string;
  /** Offset of the first byte of the first ill-formed sequence. */
  readonly offset: number;
  /** That byte's value (0–255). */
  readonly byte: number;
  /** `invalid byte 0xe9 at offset 3 (line 2)`: the fault without the source, to word it another way. */
  readonly detail: string;
  declare readonly line: number;

  constructor(source: string, bytes: Uint8Array, offset: number, fix?: string) {
    const line = lineAt(bytes, offset);
    const detail = `invalid byte 0x${(bytes[offset] ?? 0).toString(16).padStart(2, '0')} at offset ${offset} (line ${line})`;
    super(`${source} is not UTF-8: ${detail}${fix ? `; ${fix}` : ''}`, { file: source, line });
    this.source = source;
    this.offset = offset;
    this.byte = bytes[offset] ?? 0;
    this.detail = detail;
  }
}

/**
 * Decodes `bytes` as strict UTF-8 (a byte-order mark at the start is dropped).
 * Bytes that are not well-formed UTF-8 are a {@link Utf8DecodeError} naming
 * `source`, the first bad byte, its offset and its 1-based line, followed by
 * `fix` when given (e.g. "re-save it as UTF-8").
 */
export function decodeUtf8(bytes: Uint8Array, source: string, fix?: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Utf8DecodeError(source, bytes, firstInvalidUtf8(bytes), fix);
  }
}

/**
 * Offset of the first byte of the first ill-formed UTF-8 sequence in `bytes`
 * (a bad lead byte, a bad continuation, an overlong form, a surrogate, a code
 * point above U+10FFFF or a sequence cut short by the end), or -1 when every
 * sequence is well formed (Unicode, table 3-7).
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 0) return i;
    // The second byte's range depends on the lead (no overlongs, surrogates or code points past U+10FFFF).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

/** Bytes in the sequence a lead byte starts (0 for a byte that cannot lead). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
