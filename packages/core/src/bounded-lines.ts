const NEWLINE = 0x0a;

/** The longest line seqloom reads from a text input, in bytes (8 MiB): longer lines are cut or refused. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** A line that was cut: its 1-based number and its full length in bytes. */
export interface CutLine {
  line: number;
  bytes: number;
}

/** The largest cut ≤ `at` that does not split a UTF-8 sequence of `bytes`. */
function characterBoundary(bytes: Uint8Array, at: number): number {
  let cut = at;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

const encoder = new TextEncoder();

/**
 * The bytes of `chunks` with every line cut to `maxBytes` (at a character
 * boundary, so the kept part stays UTF-8): memory stays bounded whatever
 * the length of a line, and line numbers stay those of the input. The
 * rest of a longer line is read and dropped; `onCut` hears of each cut
 * line once its end (or the end of the input) is reached (it may throw, to
 * refuse such input).
 */
export async function* boundLines(chunks: AsyncIterable<Uint8Array | string>, maxBytes: number, onCut: (cut: CutLine) => void): AsyncGenerator<Uint8Array> {
  let line = 1;
  let length = 0;
  let cutting = false;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    let start = 0;
    // Whole lines that fit pass on together, as one piece of the chunk.
    let run = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      const room = maxBytes - length;
      if (!cutting && end - start <= room) {
        if (newline === -1) {
          yield bytes.subarray(run, end);
          length += end - start;
          break;
        }
        start = newline + 1;
        line += 1;
        length = 0;
        continue;
      }
      if (run < start) yield bytes.subarray(run, start);
      if (!cutting) {
        const keep = characterBoundary(bytes, start + room);
        if (keep > start) yield bytes.subarray(start, keep);
        cutting = true;
      }
      if (newline !== -1) yield bytes.subarray(newline, newline + 1);
      length += end - start;
      if (newline === -1) {
        run = bytes.length;
        break;
      }
      onCut({ line, bytes: length });
      line += 1;
      length = 0;
      cutting = false;
      start = newline + 1;
      run = start;
    }
    if (start >= bytes.length && run < bytes.length && !cutting) yield bytes.subarray(run, bytes.length);
  }
  if (cutting) onCut({ line, bytes: length });
}
