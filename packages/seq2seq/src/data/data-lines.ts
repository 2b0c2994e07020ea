import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { boundLines } from '@seqloom/core';
import { type NumberedLine, readNumberedTextLines, Utf8Error } from '@seqloom/tokenizer';
import { DataError } from './data-error.js';

export type { NumberedLine } from '@seqloom/tokenizer';

const NEWLINE = 0x0a;

/**
 * The longest line a data file may have, in bytes (64 MiB): longer lines are
 * refused. Lines up to it are read (a pair too long for the model is dropped
 * later, after its text is cut), so memory stays bounded by it.
 */
export const MAX_DATA_LINE_BYTES = 64 * 1024 * 1024;

async function checkReadable(file: string): Promise<void> {
  let reason: string | undefined;
  try {
    if ((await stat(file)).isDirectory()) reason = 'is a folder; expected a text file';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    reason = code === 'ENOENT' ? 'no such file; check the path' : String(error);
  }
  if (reason !== undefined) throw new DataError(`cannot read: ${reason}`, { file });
}

function tooLong(file: string, line: number, max: number, bytes?: number): DataError {
  const size = bytes === undefined ? `more than ${max}` : String(bytes);
  return new DataError(`the line has ${size} bytes, more than a data line may have (${max}); split or shorten it`, { file, line });
}

/** The error for bytes that are not UTF-8, naming their line as the tokenizer's strict line reader finds it. */
async function notUtf8(file: string): Promise<DataError> {
  let line: number | undefined;
  try {
    for await (const _ of readNumberedTextLines(file, 'data file')) void _;
  } catch (error) {
    if (error instanceof Utf8Error) line = error.line;
  }
  return new DataError('the file is not valid UTF-8 text; re-encode it as UTF-8', { file, ...(line !== undefined ? { line } : {}) });
}

/**
 * Complete lines of the byte pieces `pieces`, decoded a run at a time (one
 * strict UTF-8 decode and one split per run of lines, not per line); a
 * piece's unfinished last line waits for the next piece.
 */
async function* linesOf(pieces: AsyncIterable<Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array[] = [];
  for await (const piece of pieces) {
    const last = piece.lastIndexOf(NEWLINE);
    if (last === -1) {
      pending.push(piece);
      continue;
    }
    const head = piece.subarray(0, last);
    const run = pending.length === 0 ? head : Buffer.concat([...pending, head]);
    pending = last + 1 < piece.length ? [piece.subarray(last + 1)] : [];
    yield decoder.decode(run).split('\n');
  }
  if (pending.length > 0) yield [decoder.decode(Buffer.concat(pending))];
}

/**
 * Lines of a data file, read strictly as UTF-8 (`\r\n` or `\n` ends, a
 * leading byte-order mark dropped, as the tokenizer's line reader reads
 * them); a missing file, bytes that are not UTF-8, or a line longer than
 * `maxBytes` ({@link MAX_DATA_LINE_BYTES}, applied by the one `boundLines` of
 * `@seqloom/core` that caps every text input) are a {@link DataError} naming
 * the file and line. Memory stays bounded whatever the file holds.
 */
export async function* readDataLines(file: string, maxBytes = MAX_DATA_LINE_BYTES): AsyncGenerator<NumberedLine> {
  await checkReadable(file);
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  // One byte over the cap is kept, so a line over it is seen (and refused) as soon as it is read.
  const bounded = boundLines(stream as AsyncIterable<Uint8Array>, maxBytes + 1, (cut) => {
    throw tooLong(file, cut.line, maxBytes, cut.bytes);
  });
  let line = 0;
  try {
    for await (const lines of linesOf(bounded)) {
      for (let text of lines) {
        line += 1;
        if (text.length > 0 && text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
        if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes) throw tooLong(file, line, maxBytes);
        yield { text, line };
      }
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw await notUtf8(file);
    throw new DataError(`cannot read: ${error instanceof Error ? error.message : String(error)}`, { file });
  } finally {
    stream.destroy();
  }
}
