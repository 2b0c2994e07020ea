import { SeqloomError } from '@seqloom/core';

/** A named backend could not be started. */
export class BackendUnavailableError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}
