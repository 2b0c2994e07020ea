import { SeqloomError } from '@seqloom/core';
import { CliError, EXIT } from './cli-error.js';

/** How a failure is reported: one line, an exit code, and the stack for --verbose. */
export interface DescribedError {
  line: string;
  exitCode: number;
  stack?: string;
}

/** A Node file-system error about a path (ENOENT, EACCES, …): its message names the path and the cause. */
function isFileSystemError(error: Error): boolean {
  const { code, path } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && typeof path === 'string';
}

/**
 * Turns any thrown value into one line for the terminal. Errors a seqloom
 * library marks as the user's (`SeqloomError` with `userFacing`: bad data, a
 * missing file, a corrupt checkpoint, a bad option) and file-system errors
 * keep their message; anything else is an internal error whose details appear
 * with `--verbose`.
 */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError) return { line: firstLine(error.message), exitCode: error.exitCode, stack: error.stack };
  if (!(error instanceof Error)) return { line: `internal error: ${String(error)}`, exitCode: EXIT.failure };
  if ((error instanceof SeqloomError && error.userFacing) || isFileSystemError(error)) {
    return { line: firstLine(error.message), exitCode: EXIT.failure, stack: error.stack };
  }
  return {
    line: `internal error: ${firstLine(error.message)} (run again with --verbose for details)`,
    exitCode: EXIT.failure,
    stack: error.stack,
  };
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim();
}
