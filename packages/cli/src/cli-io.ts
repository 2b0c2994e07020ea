import { readStreamTextLines } from '@seqloom/tokenizer';
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
  /** Lines of standard input, read lazily (one line is read only when asked for), strict UTF-8 like `--input`. */
  stdinLines(): AsyncIterable<string>;
  /** Whether standard input is an interactive terminal (then nothing is read from it by default). */
  readonly stdinIsTTY: boolean;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Registers a handler of Ctrl-C (SIGINT) and SIGTERM; returns a function that removes it. */
  onInterrupt(handler: (signal: StopSignal) => void): () => void;
  /** Milliseconds clock (injectable for tests of progress output). */
  now(): number;
}

/** The signals that ask a command to stop. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit status of a process stopped by `signal` (128 + its number), as shells report it. */
export function signalExitCode(signal: StopSignal): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}

/**
 * SIGINT and SIGTERM for the whole process: the first one goes to the
 * registered handlers (the running command stops cleanly); a second one, or
 * one while no command listens, exits at once with 128 + the signal number.
 */
function stopSignals(): CliIo['onInterrupt'] {
  const handlers = new Set<(signal: StopSignal) => void>();
  let received = 0;
  const onSignal = (signal: StopSignal): void => {
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

/** The real process: stdout/stderr streams, stdin, SIGINT and SIGTERM. */
export function processIo(): CliIo {
  const sink = (stream: NodeJS.WriteStream): TextSink => ({
    write: (text) => void stream.write(text),
    get isTTY() {
      return Boolean(stream.isTTY);
    },
    get columns() {
      return stream.columns;
    },
  });
  return {
    stdout: sink(process.stdout),
    stderr: sink(process.stderr),
    stdinLines: () => readLines(process.stdin),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    cwd: process.cwd(),
    onInterrupt: stopSignals(),
    now: () => Date.now(),
  };
}

/**
 * Lines of a readable stream without their line terminators, read by the same
 * strict UTF-8 reader as `--input` files (byte-order mark dropped; bytes that
 * are not UTF-8 are an error naming `what` and the line).
 */
export function readLines(input: NodeJS.ReadableStream, what = 'standard input'): AsyncGenerator<string> {
  return readStreamTextLines(input as AsyncIterable<Uint8Array | string>, what);
}
