import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readStreamTextLines, Utf8Error } from '@seqloom/tokenizer';
import { boundLines, cutLineWarning, MAX_LINE_BYTES } from './bounded-lines.js';
import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { openInput } from './open-input.js';

/** Absolute path of a user-given path, relative to the working directory. */
export function resolvePath(io: CliIo, path: string): string {
  return resolve(io.cwd, path);
}

/** How input lines are read: where warnings go (a line cut to {@link MAX_LINE_BYTES}), and a signal that gives the input up. */
export interface InputReadOptions {
  warn?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * Lines of a UTF-8 file, streamed and decoded strictly; a missing file, a
 * folder or bytes that are not UTF-8 are a one-line error naming the option
 * (and the line). A named pipe is read without blocking a thread (a signal
 * ends the wait for its writer); a line longer than {@link MAX_LINE_BYTES}
 * is cut there, with a warning naming the file and the line.
 */
export async function* fileLines(path: string, option: string, options: InputReadOptions = {}): AsyncGenerator<string> {
  const stream = await openInput(path, option, options.signal);
  const what = `${option} ${path}`;
  try {
    yield* readStreamTextLines(
      boundLines(stream, MAX_LINE_BYTES, (cut) => options.warn?.(cutLineWarning(what, cut))),
      what,
    );
  } catch (error) {
    if (error instanceof Utf8Error) {
      throw new CliError(`${what} is not UTF-8 (invalid bytes at line ${error.line ?? '?'}); re-save it as UTF-8`);
    }
    throw error;
  } finally {
    stream.destroy();
  }
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
export function textInputs(io: CliIo, positionals: readonly string[], inputFile: string | undefined, options: InputReadOptions = {}): AsyncIterable<string> {
  if (positionals.length > 0 && inputFile) {
    throw new UsageError('give inputs either as arguments or with --input, not both');
  }
  if (positionals.length > 0) return toAsync(checkedArguments(positionals));
  if (inputFile) return fileLines(resolvePath(io, inputFile), '--input', options);
  if (io.stdinIsTTY) {
    throw new UsageError('no input: give texts as arguments, a file with --input, or pipe lines into standard input');
  }
  return io.stdinLines(options.warn);
}

async function* toAsync(items: readonly string[]): AsyncGenerator<string> {
  yield* items;
}

/**
 * Ends an input stream as soon as `signal` aborts, even while waiting for the
 * next line (so Ctrl-C stops `generate` that is reading an idle stdin).
 * Each wait has its own abort listener, removed once the line comes: racing
 * every line against one promise that never settles would keep a reaction
 * per line alive (memory growing with the input).
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      if (signal.aborted) return;
      const next = await nextUnlessAborted(iterator, signal);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void iterator.return?.();
  }
}

function nextUnlessAborted<T>(iterator: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T>> {
  let onAbort: () => void = () => {};
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    onAbort = () => resolve({ done: true, value: undefined });
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([iterator.next(), aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/** Refuses to replace an existing file or folder unless `--overwrite` was given. */
export async function checkWritable(path: string, overwrite: boolean, option = '--out'): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (info && !overwrite) {
    throw new CliError(`${option} ${path} already exists; choose another path or pass --overwrite to replace it`);
  }
}
