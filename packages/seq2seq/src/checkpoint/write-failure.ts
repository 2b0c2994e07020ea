import { CheckpointError } from './checkpoint-error.js';

/** Causes of a failed write that are about the disk, not about seqloom, worded for people. */
const DISK_CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full (ENOSPC: no space left on the device)',
  EDQUOT: 'the disk quota is used up (EDQUOT)',
  EROFS: 'the file system is read-only (EROFS)',
  EACCES: 'permission denied (EACCES)',
  EIO: 'the disk reported an input/output error (EIO)',
};

/**
 * A failed write of `target` as a {@link CheckpointError} naming it, the
 * cause and what is left there (`kept`) — a full disk's raw error names
 * neither the folder nor the file ("ENOSPC: no space left on device,
 * write"). Errors that are not about the disk pass unchanged.
 */
export function writeFailure(error: unknown, target: string, kept: string): unknown {
  const cause = DISK_CAUSES[(error as NodeJS.ErrnoException | undefined)?.code ?? ''];
  if (cause === undefined) return error;
  return new CheckpointError(target, `could not be written: ${cause}; ${kept}. Free some space (or fix the cause) and run again, or write elsewhere`);
}
