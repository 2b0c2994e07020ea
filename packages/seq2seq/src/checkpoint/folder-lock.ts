import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, realpathSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';

/** Who holds a folder's lock (the lock file's content). */
export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing, e.g. `seqloom train`. */
  command: string;
  /** ISO time the lock was taken. */
  started: string;
  /** The holder's start time as the system counts it (Linux), so that a reused PID is not taken for the holder. */
  processStart?: string;
  /** Tells this lock from another one of the same process. */
  token: string;
}

/** A folder that another process (alive) has locked. */
export class FolderLockedError extends CheckpointError {
  readonly holder: LockHolder;
  constructor(dir: string, holder: LockHolder, lockFile: string) {
    const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
    super(
      dir,
      `in use by another run: ${holder.command} (pid ${holder.pid}${where}, since ${holder.started}) holds its lock ${lockFile}; ` +
        'wait for it to end, or choose another folder',
    );
    this.holder = holder;
  }
}

/** A lock held by this process; `release` is idempotent and also runs if the process exits. */
export interface FolderLock {
  readonly dir: string;
  /** The lock file (beside the folder: `.<name>.lock`). */
  readonly file: string;
  /** A lock left by a process that no longer runs, which this one took over. */
  readonly tookOver: LockHolder | undefined;
  release(): void;
}

/** The lock file of `dir`: `.<name>.lock` beside it (inside, it would go with an atomic replace of the folder). */
export function lockFileOf(dir: string): string {
  const absolute = resolve(dir);
  let parent = dirname(absolute);
  try {
    parent = realpathSync(parent);
  } catch {
    // not there yet: the path as given
  }
  return join(parent, `.${basename(absolute)}.lock`);
}

/** The start time of process `pid` in clock ticks since boot (Linux), or undefined. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the holder may still run: another host's process cannot be checked, so it counts as running. */
function isRunning(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = holder.processStart === undefined ? undefined : processStart(holder.pid);
  return start === undefined || start === holder.processStart;
}

/** The holder recorded in `file`; null for a file that is not a lock record; undefined when it is gone. */
function readHolder(file: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || typeof value.host !== 'string') return null;
    return { command: 'a seqloom run', started: '?', token: '', ...value } as LockHolder;
  } catch {
    return null;
  }
}

/** Moves a stale lock aside and removes it, unless a live process took the lock meanwhile (then it is put back). */
function removeStale(file: string): boolean {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = readHolder(aside);
  if (moved && isRunning(moved)) {
    try {
      linkSync(aside, file);
    } catch {
      // taken again meanwhile: the next attempt reads who holds it
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

/**
 * Takes the exclusive lock of folder `dir` for this process: a lock file
 * beside it, made complete and then linked into place (so it exists whole or
 * not at all), naming this process. While a process that holds it runs,
 * another one is refused at once with a {@link FolderLockedError} naming its
 * PID; a lock left by a process that no longer runs (killed, crashed) is
 * taken over, and `tookOver` says whose it was. The lock is released by
 * `release()` or when the process exits. Parent folders are created as needed
 * (and removed again on release when the folder itself never came to be).
 */
export function lockFolder(dir: string, command: string): FolderLock {
  const file = lockFileOf(dir);
  const created = mkdirSync(dirname(file), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command,
    started: new Date().toISOString(),
    ...(processStart(process.pid) !== undefined ? { processStart: processStart(process.pid)! } : {}),
    token: randomBytes(8).toString('hex'),
  };
  const temp = `${file}.${process.pid}-${holder.token}`;
  writeFileSync(temp, `${JSON.stringify(holder)}\n`);
  let tookOver: LockHolder | undefined;
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        linkSync(temp, file);
        return heldLock(resolve(dir), file, holder.token, tookOver, created);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(file);
      if (current === undefined) continue;
      if (current !== null && isRunning(current)) throw new FolderLockedError(resolve(dir), current, file);
      if (removeStale(file) && current !== null) tookOver = current;
    }
    throw new CheckpointError(file, 'could not be taken: other processes kept taking it; try again');
  } finally {
    unlinkSync(temp);
  }
}

/** Refuses when `dir` is locked by a running process (without taking the lock). */
export function checkNotLocked(dir: string): void {
  const file = lockFileOf(dir);
  const current = readHolder(file);
  if (current && current.pid !== process.pid && isRunning(current)) throw new FolderLockedError(resolve(dir), current, file);
}

function heldLock(dir: string, file: string, token: string, tookOver: LockHolder | undefined, created: string | undefined): FolderLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readHolder(file)?.token === token) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
    if (created !== undefined) removeEmptyParents(dirname(file), created);
  };
  process.on('exit', release);
  return { dir, file, tookOver, release };
}

/** Removes the folders `lockFolder` created for the lock file, from `from` up to `top`, while they are empty. */
function removeEmptyParents(from: string, top: string): void {
  for (let dir = from; !relative(top, dir).startsWith('..'); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === top) return;
  }
}
