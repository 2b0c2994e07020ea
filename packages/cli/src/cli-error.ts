import { SeqloomError } from '@seqloom/core';

/** Exit codes of the `seqloom` command. */
export const EXIT = {
  ok: 0,
  /** A runtime failure: bad data, missing file, corrupt checkpoint… */
  failure: 1,
  /** The command line itself is wrong: unknown flag, option out of range. */
  usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + 15). */
  terminated: 143,
} as const;

/**
 * An error the command line reports as one line (no stack trace unless
 * `--verbose`) and turns into an exit code.
 */
export class CliError extends SeqloomError {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failure) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** The command line is malformed: exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}
