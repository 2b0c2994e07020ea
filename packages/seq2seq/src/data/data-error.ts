/**
 * A problem with training data: names the file, the 1-based line (when known)
 * and the form that was expected.
 */
export class DataError extends Error {
  override readonly name = 'DataError';
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, location: { file?: string; line?: number } = {}) {
    const where = location.file
      ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}: `
      : '';
    super(`${where}${message}`);
    this.file = location.file;
    this.line = location.line;
  }
}
