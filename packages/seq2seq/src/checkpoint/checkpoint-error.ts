/** A checkpoint file is missing, truncated, corrupt or of another format version. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  /** The file (or folder) at fault. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}
