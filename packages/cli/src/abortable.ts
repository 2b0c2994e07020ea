import { CliError, EXIT } from './cli-error.js';

/** A command gave up waiting because it was asked to stop (runCli reports the signal's exit status). */
export class StoppedError extends CliError {
  constructor() {
    super('stopped', EXIT.interrupted);
    this.name = 'StoppedError';
  }
}

/**
 * `work`, given up as soon as `signal` aborts: for waits the command cannot
 * cut short itself (a library reading a named pipe that has no writer yet),
 * so that a signal still ends the command. Rejects with {@link StoppedError}.
 */
export function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new StoppedError());
  let onAbort: () => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new StoppedError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, stopped]).finally(() => signal.removeEventListener('abort', onAbort));
}
