import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a folder atomically: `fill` writes into a fresh temporary folder
 * beside `target`, which is then renamed into place. An existing `target` is
 * first renamed away and removed only after the new one is in place, so at
 * every moment either the old or the new complete folder exists. If `fill`
 * fails the temporary folder is removed and `target` is untouched.
 */
export async function writeDirAtomic(
  target: string,
  fill: (tempDir: string) => Promise<void>,
): Promise<void> {
  const parent = dirname(target);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(target)}.tmp-${tag}`);
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  await mkdir(parent, { recursive: true });
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
