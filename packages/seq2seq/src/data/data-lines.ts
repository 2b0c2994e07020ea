import { stat } from 'node:fs/promises';
import { readNumberedTextLines, Utf8Error, type NumberedLine } from '@seqloom/tokenizer';
import { DataError } from './data-error.js';

export type { NumberedLine } from '@seqloom/tokenizer';

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

/**
 * Lines of a data file, read by the tokenizer's strict UTF-8 line reader
 * (`\r\n` or `\n` ends, a leading byte-order mark dropped); a missing file or
 * bytes that are not UTF-8 are a {@link DataError} naming the file (and line).
 */
export async function* readDataLines(file: string): AsyncGenerator<NumberedLine> {
  await checkReadable(file);
  try {
    yield* readNumberedTextLines(file, 'data file');
  } catch (error) {
    if (error instanceof Utf8Error) {
      throw new DataError('the file is not valid UTF-8 text; re-encode it as UTF-8', { file, ...(error.line !== undefined ? { line: error.line } : {}) });
    }
    if (error instanceof DataError) throw error;
    throw new DataError(`cannot read: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
}
