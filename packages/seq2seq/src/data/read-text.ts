import { readFile } from 'node:fs/promises';
import { decodeUtf8, Utf8DecodeError } from '@seqloom/core';
import { DataError } from './data-error.js';

/**
 * Reads a whole UTF-8 text file for language modelling, exactly as written
 * except that `\r\n` line endings become `\n` and a byte-order mark is
 * dropped. Throws a {@link DataError} for a missing or empty file, and for
 * invalid UTF-8 naming the first bad line.
 */
export async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(`cannot read: ${code === 'ENOENT' ? 'no such file; check the path' : String(error)}`, { file });
  }
  let text: string;
  try {
    text = decodeUtf8(bytes, file);
  } catch (error) {
    if (!(error instanceof Utf8DecodeError)) throw error;
    throw new DataError('the file is not valid UTF-8 text; re-encode it as UTF-8', { file, line: error.line });
  }
  text = text.replace(/\r\n/g, '\n');
  if (text.trim() === '') throw new DataError('the text file is empty; lm training needs text', { file });
  return text;
}
