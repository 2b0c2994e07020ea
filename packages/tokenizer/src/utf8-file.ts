import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TokenizerError, Utf8Error } from './errors.js';

function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest prefix that fails to decode.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      decoder.decode();
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo < bytes.length ? lo : -1;
}

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
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new Utf8Error(`${what} ${path} is not UTF-8: invalid byte 0x${bytes[at]?.toString(16).padStart(2, '0')} at offset ${at} (line ${lineOfOffset(bytes, at)}); re-save it as UTF-8`);
  }
}

/** Stream a file's lines (without line ends) as strict UTF-8, with 1-based line numbers. */
export async function* readUtf8Lines(path: string, what: string): AsyncGenerator<[string, number]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  let line = 0;
  const stream = createReadStream(path);
  try {
    for await (const chunk of stream) {
      let text: string;
      try {
        text = decoder.decode(chunk as Buffer, { stream: true });
      } catch {
        const bytes = chunk as Buffer;
        const at = Math.max(0, firstInvalidUtf8(bytes));
        const where = line + pending.split('\n').length - 1 + lineOfOffset(bytes, at);
        throw new Utf8Error(`${what} ${path} is not UTF-8 (invalid bytes at line ${where}); re-save it as UTF-8`);
      }
      pending += text;
      const parts = pending.split('\n');
      pending = parts.pop() as string;
      for (const part of parts) yield [part.endsWith('\r') ? part.slice(0, -1) : part, ++line];
    }
  } catch (error) {
    if (error instanceof TokenizerError) throw error;
    notFound(path, what, error);
  }
  try {
    pending += decoder.decode();
  } catch {
    throw new Utf8Error(`${what} ${path} is not UTF-8 (truncated character at the end, line ${line + 1}); re-save it as UTF-8`);
  }
  if (pending !== '') yield [pending.endsWith('\r') ? pending.slice(0, -1) : pending, ++line];
}
