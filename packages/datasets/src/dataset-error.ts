import { SeqloomError } from '@seqloom/core';

/** A built-in dataset was asked for with a bad name or option, or its package is missing. */
export class DatasetError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
