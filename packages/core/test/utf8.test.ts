import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8, SeqloomError, Utf8DecodeError } from '../src/index.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const text = (s: string): number[] => Array.from(new TextEncoder().encode(s));

describe('decodeUtf8', () => {
  it('decodes well-formed UTF-8 and drops a byte-order mark at the start', () => {
    expect(decodeUtf8(bytes(...text('héllo 漢字 \u{1f600}')), 'x')).toBe('héllo 漢字 \u{1f600}');
    expect(decodeUtf8(bytes(0xef, 0xbb, 0xbf, 0x61), 'x')).toBe('a');
  });

  it('names the source, the first bad byte, its offset and its line, then the fix', () => {
    const latin1 = bytes(...text('ab\nc'), 0xe9, ...text('t\n'));
    let error: unknown;
    try {
      decodeUtf8(latin1, 'corpus file a.txt', 're-save it as UTF-8');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Utf8DecodeError);
    expect(error).toBeInstanceOf(SeqloomError);
    const failure = error as Utf8DecodeError;
    expect(failure.message).toBe('corpus file a.txt is not UTF-8: invalid byte 0xe9 at offset 4 (line 2); re-save it as UTF-8');
    expect([failure.offset, failure.line, failure.byte, failure.file, failure.userFacing]).toEqual([4, 2, 0xe9, 'corpus file a.txt', true]);
    expect(failure.detail).toBe('invalid byte 0xe9 at offset 4 (line 2)');
    expect(() => decodeUtf8(bytes(0x61, 0xff), 'stdin')).toThrow(/^stdin is not UTF-8: invalid byte 0xff at offset 1 \(line 1\)$/);
  });
});

describe('firstInvalidUtf8', () => {
  it('finds the start of the first ill-formed sequence', () => {
    expect(firstInvalidUtf8(bytes(...text('ok é')))).toBe(-1);
    expect(firstInvalidUtf8(bytes(0x61, 0xc3))).toBe(1); // cut short by the end
    expect(firstInvalidUtf8(bytes(0xc0, 0xaf))).toBe(0); // overlong
    expect(firstInvalidUtf8(bytes(0x61, 0xed, 0xa0, 0x80))).toBe(1); // a surrogate
    expect(firstInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0); // past U+10FFFF
    expect(firstInvalidUtf8(bytes(0x61, 0x80))).toBe(1); // a continuation byte with no lead
  });

  it('agrees with a fatal TextDecoder on random bytes', () => {
    let state = 12345;
    const random = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
    for (let trial = 0; trial < 2000; trial++) {
      const sample = Uint8Array.from({ length: 1 + (trial % 12) }, () => (random() < 96 ? random() & 0x7f : random()));
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(sample);
      } catch {
        valid = false;
      }
      const at = firstInvalidUtf8(sample);
      expect(at === -1).toBe(valid);
      if (!valid) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, at))).not.toThrow();
    }
  });
});
