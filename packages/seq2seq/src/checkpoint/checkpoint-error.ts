import { SeqloomError } from '@seqloom/core';

/** A checkpoint file is missing, truncated, corrupt or of another format version. */
export class CheckpointError extends SeqloomError {
  override readonly name = 'CheckpointError';
  /** The file (or folder) at fault. */
  declare readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`, { file });
  }
}
