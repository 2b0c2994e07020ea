import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The names beside `target` that start with `.<name>.<kind>-` (its writers' temporary and old folders). */
async function namesBeside(target: string, kind: string): Promise<string[] | null> {
  const prefix = `.${basename(target)}.${kind}`;
  try {
    return (await readdir(dirname(target))).filter((name) => name.startsWith(prefix));
  } catch {
    return null;
  }
}

/**
 * Cleans up after a writer of `target` that crashed: removes its temporary
 * folders, and if it died between renaming the old folder away and the new
 * one in, puts the old folder back. Assumes one writer per folder.
 */
async function recoverInterruptedWrite(target: string): Promise<void> {
  const parent = dirname(target);
  const names = await namesBeside(target, '');
  if (names === null) return;
  const prefix = `.${basename(target)}.`;
  const olds = names.filter((name) => name.startsWith(`${prefix}old-`));
  if (!(await exists(target)) && olds.length === 1) await rename(join(parent, olds[0]), target);
  for (const name of names) {
    if (name.startsWith(`${prefix}tmp-`) || (name.startsWith(`${prefix}old-`) && (await exists(target)))) {
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
}

/** True while the process whose id is in an old folder's name (`old-<pid>-<random>`) runs. */
function writerIsRunning(oldName: string): boolean {
  const pid = Number(/old-(\d+)-/.exec(oldName)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * For readers of a folder that {@link writeDirAtomic} writes: when `target` is
 * missing because its writer crashed between renaming the old folder away and
 * the new one in, puts the old folder back. Unlike a writer's recovery it
 * removes nothing, and leaves a folder alone while the process that renamed it
 * away still runs (it may be mid-write).
 */
export async function restoreAbandonedDir(target: string): Promise<void> {
  if (await exists(target)) return;
  const olds = await namesBeside(target, 'old-');
  if (olds === null || olds.length !== 1 || writerIsRunning(olds[0])) return;
  try {
    await rename(join(dirname(target), olds[0]), target);
  } catch {
    // Another reader or a writer got there first; the caller reports what it finds.
  }
}

/**
 * Writes (or replaces) a folder atomically: `fill` writes into a fresh
 * temporary folder beside `target`, which is then renamed into place. An
 * existing `target` is first renamed away and removed only after the new one
 * is in place, so at every moment either the old or the new complete folder
 * exists; the next writer (or a reader calling {@link restoreAbandonedDir})
 * repairs what a crash in between leaves. If `fill` or the rename fails, the
 * temporary folder is removed, `target` is as it was, and the error is
 * rethrown. `checkTarget` (after crash recovery, before writing) may refuse
 * `target` by throwing.
 */
export async function writeDirAtomic(target: string, fill: (tempDir: string) => Promise<void>, checkTarget?: (target: string) => Promise<void>): Promise<void> {
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(dirname(target), `.${basename(target)}.tmp-${tag}`);
  const old = join(dirname(target), `.${basename(target)}.old-${tag}`);
  await mkdir(dirname(target), { recursive: true });
  await recoverInterruptedWrite(target);
  await checkTarget?.(target);
  await mkdir(temp);
  try {
    await fill(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const hadOld = await exists(target);
  if (hadOld) await rename(target, old);
  try {
    await rename(temp, target);
  } catch (error) {
    if (hadOld) await rename(old, target);
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}
