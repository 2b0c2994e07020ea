import { stat } from 'node:fs/promises';
import { writeDirAtomic as writeDirAtomicCore } from '@seqloom/core/node';
import { writeFailure } from './write-failure.js';

/**
 * Writes a folder atomically (`writeDirAtomic` of `@seqloom/core/node`):
 * `fill` writes into a fresh temporary folder beside `target`, which is then
 * renamed into place. An existing `target` is first renamed away and removed
 * only after the new one is in place, so at every moment either the old or
 * the new complete folder exists. If `fill` fails the temporary folder is
 * removed and `target` is untouched; a failure of the disk (full, read-only,
 * permission) is a `CheckpointError` naming `target`, the cause and what
 * is left there. `checkTarget` (after crash recovery, before writing) may
 * refuse `target`.
 */
export async function writeDirAtomic(target: string, fill: (tempDir: string) => Promise<void>, checkTarget?: (target: string) => Promise<void>): Promise<void> {
  try {
    await writeDirAtomicCore(target, fill, checkTarget);
  } catch (error) {
    const kept = await stat(target).then(
      () => true,
      () => false,
    );
    throw writeFailure(error, target, kept ? 'the previous one there is kept' : 'nothing was left there');
  }
}
