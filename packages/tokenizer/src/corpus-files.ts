// Corpora from files and byte streams (Node): the trainers themselves take any
// iterable of strings (see corpus.ts) and need no file system.
import { type NumberedLine, readUtf8Lines, readUtf8StreamLines } from './utf8-file.js';

/**
 * Stream a text file as a corpus, one line per text (line ends removed), decoding
 * strictly as UTF-8: a file that is not UTF-8 fails with a {@link Utf8Error} naming
 * the line. Nothing is read until iteration starts.
 */
export async function* readCorpusLines(path: string): AsyncGenerator<string> {
  yield* readTextLines(path, 'corpus file');
}

/**
 * The lines of a text file (line ends removed), decoded strictly as UTF-8; a
 * file that is not UTF-8 fails with a {@link Utf8Error} that calls it `what`
 * (e.g. an option name) and names the line.
 */
export async function* readTextLines(path: string, what: string): AsyncGenerator<string> {
  for await (const { text } of readUtf8Lines(path, what)) yield text;
}

/**
 * The lines of a text file with their 1-based numbers, read like
 * {@link readTextLines} (strict UTF-8, byte-order mark dropped, `\r\n` ends).
 */
export function readNumberedTextLines(path: string, what: string): AsyncGenerator<NumberedLine> {
  return readUtf8Lines(path, what);
}

/**
 * The lines of a byte stream (e.g. standard input) read like a file by
 * {@link readTextLines}: strict UTF-8 (a bad byte is a {@link Utf8Error} that
 * calls the stream `what` and names the line), byte-order mark dropped.
 */
export async function* readStreamTextLines(stream: AsyncIterable<Uint8Array | string>, what: string): AsyncGenerator<string> {
  for await (const { text } of readUtf8StreamLines(stream, what)) yield text;
}
