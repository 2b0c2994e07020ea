import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FolderLock } from '@seqloom/seq2seq/tooling';
import type { CommandContext } from './cli-command.js';
import { CliError } from './cli-error.js';

/** The folder itself if it exists, else its nearest existing ancestor. */
async function nearestExisting(path: string): Promise<string> {
  let dir = resolve(path);
  for (;;) {
    if (
      await stat(dir).then(
        () => true,
        () => false,
      )
    )
      return dir;
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
}

async function refusal(dir: string): Promise<string | undefined> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${dir} is on a read-only file system`;
    if (code === 'EACCES' || code === 'EPERM') return `${dir} is not writable by this user (permission denied)`;
    return undefined; // anything else shows itself when the folder is written
  }
}

/**
 * Checks, before any data is read, that an output folder can be written: the
 * folder where it is to be created (or its nearest existing ancestor) and the
 * folder itself when it exists. The error names the option, the folder and
 * the cause, instead of a raw EACCES once the data is loaded.
 */
export async function checkOutFolderWritable(out: string, option = '--out'): Promise<void> {
  const target = resolve(out);
  const parent = await nearestExisting(dirname(target));
  const reasons = [await refusal(parent)];
  if (
    await stat(target).then(
      (s) => s.isDirectory(),
      () => false,
    )
  )
    reasons.push(await refusal(target));
  const reason = reasons.find((r) => r !== undefined);
  if (reason) throw new CliError(`${option} ${target}: cannot write there: ${reason}; choose a folder you can write to`);
}

/**
 * Takes the exclusive lock of an output folder for this command (released by
 * the caller, or when the process exits): another run holding it stops this
 * one at once, naming that run's PID; a lock left by a run that no longer
 * runs is taken over, with a warning.
 */
export async function lockOutFolder(ctx: CommandContext, dir: string, command: string): Promise<FolderLock> {
  const { lockFolder } = await import('@seqloom/seq2seq/tooling');
  const lock = lockFolder(dir, command);
  const old = lock.tookOver;
  if (old) ctx.out.warn(`${dir}: took over the lock left by ${old.command} (pid ${old.pid}, since ${old.started}), which no longer runs`);
  return lock;
}
