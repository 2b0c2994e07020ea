import { CliError, EXIT } from './cli-error.js';

/** JavaScript's own error classes: a bug or an unexpected failure, not a user mistake. */
const BUILTIN_ERRORS = new Set(['Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError', 'AggregateError']);

/** How a failure is reported: one line, an exit code, and the stack for --verbose. */
export interface DescribedError {
  line: string;
  exitCode: number;
  stack?: string;
}

/**
 * Turns any thrown value into one line for the terminal. Errors from seqloom
 * (CLI, data, tokenizer, checkpoint, decode…) and file-system errors keep their
 * message; anything else is an internal error whose details appear with `--verbose`.
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError) return { line: firstLine(error.message), exitCode: error.exitCode, stack: error.stack };
  if (error instanceof Error) {
    // seqloom's libraries throw Error subclasses (DataError, CheckpointError, …) with user-facing messages.
    const known = !BUILTIN_ERRORS.has(error.name) || !BUILTIN_ERRORS.has(error.constructor?.name ?? 'Error');
    const fsError = (error as NodeJS.ErrnoException).code && (error as NodeJS.ErrnoException).path;
    if (known || fsError) return { line: firstLine(error.message), exitCode: EXIT.failure, stack: error.stack };
    return {
      line: `internal error: ${firstLine(error.message)} (run again with --verbose for details)`,
      exitCode: EXIT.failure,
      stack: error.stack,
    };
  }
  return { line: `internal error: ${String(error)}`, exitCode: EXIT.failure };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim();
}
