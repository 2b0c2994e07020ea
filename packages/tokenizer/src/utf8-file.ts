import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TokenizerError, Utf8Error } from './errors.js';
import { decodeUtf8Strict } from './utf8-text.js';

function notFound(path: string, what: string, error: unknown): never {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') throw new TokenizerError(`${what} ${path} does not exist`);
  if (code === 'EISDIR') throw new TokenizerError(`${what} ${path} is a folder; expected a file`);
  throw error;
}

/** Read a whole file as strict UTF-8; a bad byte is reported with its line. */
export async function readUtf8File(path: string, what: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    notFound(path, what, error);
  }
  return decodeUtf8Strict(bytes, what, path);
}

/** One line of a text with its 1-based line number (line end removed). */
export interface NumberedLine {
  text: string;
  line: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const BOM = '\ufeff';

/**
 * The one strict UTF-8 line reader: splits a byte stream at `\n`, drops a
 * trailing `\r` and a byte-order mark at the very start, and decodes every
 * line with a fatal decoder, so the first bad byte is reported with its exact
 * line (`source` and `fix` complete the message).
 */
async function* utf8Lines(chunks: AsyncIterable<Uint8Array | string>, source: string, fix: string): AsyncGenerator<NumberedLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 0;
  const decode = (bytes: Uint8Array): NumberedLine => {
    line += 1;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    let text: string;
    try {
      text = decoder.decode(bytes.subarray(0, end));
    } catch {
      throw new Utf8Error(`${source} is not UTF-8 (invalid bytes at line ${line}); ${fix}`, line);
    }
    return { text: line === 1 && text.startsWith(BOM) ? text.slice(1) : text, line };
  };
  let pending: Uint8Array[] = [];
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let newline = bytes.indexOf(NEWLINE); newline !== -1; newline = bytes.indexOf(NEWLINE, start)) {
      pending.push(bytes.subarray(start, newline));
      const whole = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      pending = [];
      yield decode(whole);
      start = newline + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) yield decode(Buffer.concat(pending));
}

/** Stream a file's lines (without line ends) as strict UTF-8, with 1-based line numbers. */
export async function* readUtf8Lines(path: string, what: string): AsyncGenerator<NumberedLine> {
  const stream = createReadStream(path);
  try {
    yield* utf8Lines(stream as AsyncIterable<Buffer>, `${what} ${path}`, 're-save it as UTF-8');
  } catch (error) {
    if (error instanceof TokenizerError) throw error;
    notFound(path, what, error);
  } finally {
    stream.destroy();
  }
}

/**
 * Stream the lines of a byte stream (standard input, a socket) as strict UTF-8,
 * exactly as {@link readUtf8Lines} reads a file; `what` names the stream in errors.
 * Chunks are pulled only as lines are asked for.
 */
export async function* readUtf8StreamLines(stream: AsyncIterable<Uint8Array | string>, what: string): AsyncGenerator<NumberedLine> {
  yield* utf8Lines(stream, what, 'send UTF-8 text');
}
