import { readTextLines } from '@seqloom/tokenizer';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** Absolute path of a user-given path, relative to the working directory. */
export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/**
 * Lines of a UTF-8 file, streamed and decoded strictly; a missing file, a
 * folder or bytes that are not UTF-8 are a one-line error naming the option
 * (and the line).
 */
export async function* fileLines(path: string, option: string): AsyncGenerator<string> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new CliError(`${option} ${path}: no such file`);
  if (info.isDirectory()) throw new CliError(`${option} ${path}: is a folder; expected a text file`);
  yield* readTextLines(path, option);
}

const REPLACEMENT = '\ufffd';
const BOM = '\ufeff';

/**
 * Texts given as arguments, held to what `--input` and standard input accept:
 * a leading byte-order mark is dropped, and U+FFFD (what the system makes of
 * bytes that are not UTF-8 on a command line, so the text is already damaged)
 * is an error naming the argument.
 */
export function checkedArguments(positionals: readonly string[]): string[] {
  return positionals.map((text, i) => {
    const at = text.indexOf(REPLACEMENT);
    if (at !== -1) {
      throw new CliError(
        `input argument ${i + 1} is not UTF-8 (U+FFFD at character ${at + 1}, where bytes were not UTF-8); ` +
          'give it as UTF-8, or with --input or standard input (which name the bad line)',
      );
    }
    return text.startsWith(BOM) ? text.slice(1) : text;
  });
}

/**
 * The texts a command works on, in order: the positional arguments if any,
 * else the lines of `--input`, else standard input one line at a time
 * (read lazily, so output for line N can appear before line N+1 is read).
 * All three are held to the same strict UTF-8 check and drop a byte-order mark.
 */
export function textInputs(io: CliIo, positionals: readonly string[], inputFile: string | undefined): AsyncIterable<string> {
  if (positionals.length > 0 && inputFile) {
    throw new UsageError('give inputs either as arguments or with --input, not both');
  }
  if (positionals.length > 0) return toAsync(checkedArguments(positionals));
  if (inputFile) return fileLines(resolvePath(io, inputFile), '--input');
  if (io.stdinIsTTY) {
    throw new UsageError('no input: give texts as arguments, a file with --input, or pipe lines into standard input');
  }
  return io.stdinLines();
}

async function* toAsync(items: readonly string[]): AsyncGenerator<string> {
  yield* items;
}

/**
 * Ends an input stream as soon as `signal` aborts, even while waiting for the
 * next line (so Ctrl-C stops `generate` that is reading an idle stdin).
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    if (signal.aborted) resolve({ done: true, value: undefined });
    signal.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void iterator.return?.();
  }
}

/** Refuses to replace an existing file or folder unless `--overwrite` was given. */
export async function checkWritable(path: string, overwrite: boolean, option = '--out'): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info && !overwrite) {
    throw new CliError(`${option} ${path} already exists; choose another path or pass --overwrite to replace it`);
  }
}
