// GPT-2 byte-level alphabet: every byte maps to one printable code point, so any
// UTF-8 text is spelled with 256 symbols and no unknown token is ever needed.

function buildByteEncoder(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Array<string>(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(256 + next++);
  }
  return table;
}

/** byte value → its byte-level symbol (a single UTF-16 code unit). */
export const BYTE_TO_SYMBOL: readonly string[] = buildByteEncoder();

/** byte-level symbol → byte value. */
export const SYMBOL_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_SYMBOL.map((s, b) => [s, b]));

/**
 * The GPT-2 pre-tokenization pattern, as used by the ByteLevel pre-tokenizer of
 * Hugging Face tokenizers (contractions, letter runs, digit runs, punctuation runs,
 * whitespace). Each match keeps its leading space.
 */
export const GPT2_PATTERN_SOURCE = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** A fresh global GPT-2 split regex (global regexes carry state, so never share one). */
export function gpt2SplitRegex(): RegExp {
  return new RegExp(GPT2_PATTERN_SOURCE, 'gu');
}

const utf8 = new TextEncoder();

/** UTF-8 bytes of `text`, with a fast path for ASCII. */
export function utf8Bytes(text: string): Uint8Array {
  const n = text.length;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return utf8.encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Spell `text` in byte-level symbols (UTF-8 bytes mapped through {@link BYTE_TO_SYMBOL}). */
export function toByteLevel(text: string): string {
  const bytes = utf8Bytes(text);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_SYMBOL[bytes[i]];
  return out;
}
