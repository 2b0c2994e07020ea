import { decodeUtf8, Utf8DecodeError } from '@seqloom/core';
import { Utf8Error } from './errors.js';

/**
 * Decode bytes as strict UTF-8 (`decodeUtf8` of `@seqloom/core`); a bad byte
 * is a {@link Utf8Error} naming `what` and `where` (a path, a URL, a file
 * name), its offset and its line.
 */
export function decodeUtf8Strict(bytes: Uint8Array, what: string, where: string): string {
  try {
    return decodeUtf8(bytes, `${what} ${where}`, 're-save it as UTF-8');
  } catch (error) {
    if (error instanceof Utf8DecodeError) throw new Utf8Error(error.message, error.line);
    throw error;
  }
}
