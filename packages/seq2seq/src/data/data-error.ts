import { SeqloomError } from '@seqloom/core';

/**
 * A problem with training data: names the file, the 1-based line (when known)
 * and the form that was expected.
 */
export class DataError extends SeqloomError {
  override readonly name = 'DataError';
  declare readonly file: string | undefined;
  declare readonly line: number | undefined;

  constructor(message: string, location: { file?: string; line?: number } = {}) {
    const where = location.file ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}: ` : '';
    super(`${where}${message}`, location);
  }
}
