import { createReadStream } from 'node:fs';
import { DataError } from './data-error.js';

/** One line of a text file with its 1-based line number (no line terminator). */
export interface NumberedLine {
  text: string;
  line: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Streams a UTF-8 text file line by line. Lines end at `\n`; a trailing `\r`
 * is dropped and a leading byte-order mark is ignored. Bytes that are not
 * valid UTF-8 raise a {@link DataError} naming the file and line.
 */
export async function* readLines(file: string): AsyncGenerator<NumberedLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let pending: Buffer[] = [];
  let line = 0;
  const decode = (bytes: Buffer): string => {
    line += 1;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CARRIAGE_RETURN) end -= 1;
    try {
      return decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new DataError('the file is not valid UTF-8 text; re-encode it as UTF-8', {
        file,
        line,
      });
    }
  };
  const stream = createReadStream(file);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      let newline = chunk.indexOf(NEWLINE, start);
      while (newline !== -1) {
        pending.push(chunk.subarray(start, newline));
        const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending);
        pending = [];
        yield { text: decode(bytes), line };
        start = newline + 1;
        newline = chunk.indexOf(NEWLINE, start);
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file; check the path' : String(error);
    throw new DataError(`cannot read: ${reason}`, { file });
  } finally {
    stream.destroy();
  }
  if (pending.length > 0) {
    const bytes = Buffer.concat(pending);
    yield { text: decode(bytes), line };
  }
}
