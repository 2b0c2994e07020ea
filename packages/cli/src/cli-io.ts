import { readStreamTextLines } from '@seqloom/tokenizer';

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
  /** Registers a Ctrl-C handler; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  /** Milliseconds clock (injectable for tests of progress output). */
  now(): number;
}

/** The real process: stdout/stderr streams, stdin, SIGINT. */
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
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
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
