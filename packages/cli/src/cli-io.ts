import { readStreamTextLines } from '@seqloom/tokenizer';
import { boundLines, cutLineWarning, MAX_LINE_BYTES } from './bounded-lines.js';
import { EXIT } from './cli-error.js';

/** Somewhere text can be written (a stream, or a buffer in tests). */
export interface TextSink {
  write(text: string): void;
  /** True when this sink is an interactive terminal. */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/**
 * Everything the command line touches outside the process: output streams,
 * input lines, the environment and Ctrl-C. `runCli` takes it as a parameter so
 * the same code runs as a process and in-process in tests.
 */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /**
   * Lines of standard input, read lazily (one line is read only when asked for), strict UTF-8 like `--input`;
   * a line longer than `MAX_LINE_BYTES` is cut there, and `warn` hears of it.
   */
  stdinLines(warn?: (message: string) => void): AsyncIterable<string>;
  /** Whether standard input is an interactive terminal (then nothing is read from it by default). */
  readonly stdinIsTTY: boolean;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /**
   * Registers a handler of Ctrl-C (SIGINT), SIGTERM and of standard output
   * closed by its reader (`SIGPIPE`: EPIPE on a write); returns a function that removes it.
   */
  onInterrupt(handler: (signal: StopSignal) => void): () => void;
  /** Milliseconds clock (injectable for tests of progress output). */
  now(): number;
}

/**
 * What asks a command to stop: Ctrl-C, SIGTERM, or `SIGPIPE` — the reader of
 * standard output went away (`seqloom generate … | head -1`), so nothing more
 * can be written.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGPIPE';

/**
 * The exit status of a process stopped by `signal` (128 + its number), as shells report it;
 * 0 for a closed standard output, which ends a command quietly as it ends `cat` or `grep`.
 */
export function signalExitCode(signal: StopSignal): number {
  if (signal === 'SIGPIPE') return EXIT.ok;
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

type StopHandlers = Set<(signal: StopSignal) => void>;

/**
 * SIGINT and SIGTERM for the whole process: the first one goes to the
 * registered handlers (the running command stops cleanly); a second one, or
 * one while no command listens, exits at once with 128 + the signal number.
 */
function stopSignals(handlers: StopHandlers): CliIo['onInterrupt'] {
  let received = 0;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    received += 1;
    if (received > 1 || handlers.size === 0) process.exit(signalExitCode(signal));
    for (const handler of handlers) handler(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return (handler) => {
    handlers.add(handler);
    return () => void handlers.delete(handler);
  };
}

let outputFailure: string | undefined;

/** Why standard output could not be written, other than a reader closing the pipe (then the command fails). */
export function stdoutFailure(): string | undefined {
  return outputFailure;
}

/**
 * A process stream as a sink. A write error is never an unhandled 'error'
 * event (a stack trace and exit 1): EPIPE — the reader closed the pipe —
 * drops further output and calls `onClosed` once; any other error (a full
 * disk under `> file`) drops further output and is reported once on stderr
 * (for stdout), and the process then exits 1.
 */
function streamSink(stream: NodeJS.WriteStream, onClosed: () => void): TextSink {
  let open = true;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (!open) return;
    open = false;
    if (error.code === 'EPIPE') onClosed();
    else if (stream === process.stdout) {
      outputFailure = error.message;
      process.stderr.write(`seqloom: cannot write to standard output (${error.message}); the output is incomplete\n`);
    }
  });
  return {
    write: (text) => {
      if (open) stream.write(text);
    },
    get isTTY() {
      return Boolean(stream.isTTY);
    },
    get columns() {
      return stream.columns;
    },
  };
}

/** Standard output closed by its reader: the running command stops quietly (exit 0); with none running, the process ends. */
function outputClosed(handlers: StopHandlers): () => void {
  return () => {
    process.exitCode = EXIT.ok;
    if (handlers.size === 0) process.exit(EXIT.ok);
    for (const handler of handlers) handler('SIGPIPE');
  };
}

/** The real process: stdout/stderr streams, stdin, SIGINT and SIGTERM. */
export function processIo(): CliIo {
  const handlers: StopHandlers = new Set();
  return {
    stdout: streamSink(process.stdout, outputClosed(handlers)),
    stderr: streamSink(process.stderr, () => {}),
    stdinLines: (warn) => readLines(process.stdin, 'standard input', warn),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    cwd: process.cwd(),
    onInterrupt: stopSignals(handlers),
    now: () => Date.now(),
  };
}

/**
 * Lines of a readable stream without their line terminators, read by the same
 * strict UTF-8 reader as `--input` files (byte-order mark dropped; bytes that
 * are not UTF-8 are an error naming `what` and the line); a line longer than
 * {@link MAX_LINE_BYTES} is cut there, and `warn` hears of it.
 */
export function readLines(input: NodeJS.ReadableStream, what = 'standard input', warn?: (message: string) => void): AsyncGenerator<string> {
  const chunks = boundLines(input as AsyncIterable<Uint8Array | string>, MAX_LINE_BYTES, (cut) => warn?.(cutLineWarning(what, cut)));
  return readStreamTextLines(chunks, what);
}
