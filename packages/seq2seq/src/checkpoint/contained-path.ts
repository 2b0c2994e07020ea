import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep, win32 } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';

/**
 * Why `name` cannot name a file inside a model folder (absolute, with `..`
 * or empty segments, a NUL byte), or undefined when it is a plain relative path.
 * Purely textual: nothing is read.
 */
export function uncontainedReason(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'is not a file name';
  if (name.includes('\0')) return 'holds a NUL byte';
  if (isAbsolute(name) || win32.isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  const segments = name.split(/[/\\]/);
  if (segments.includes('..')) return 'has a ".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  return undefined;
}

/**
 * Checks textually that `name` (the value of `field` in `declaredIn`) stays
 * inside its model folder; the error names the field and the file declaring it.
 */
export function checkContainedName(name: unknown, field: string, declaredIn: string): string {
  const reason = uncontainedReason(name);
  if (reason !== undefined) {
    throw new CheckpointError(
      declaredIn,
      `${field} is ${JSON.stringify(name)}, which ${reason}; a model folder may only name files inside itself (e.g. "weights.bin")`,
    );
  }
  return name as string;
}

/**
 * The path of `name` inside `folder`, after checking that it is a plain
 * relative name and that no symbolic link on the way leads out of the
 * folder. A file that does not exist yet resolves to its plain path (reading
 * it then reports it missing). Nothing but link targets is read.
 */
export async function containedPath(folder: string, name: unknown, field: string, declaredIn: string): Promise<string> {
  const checked = checkContainedName(name, field, declaredIn);
  const path = join(folder, checked);
  const real = await realpath(path).catch(() => null);
  if (real === null) return path;
  const root = await realpath(folder);
  const inside = relative(root, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new CheckpointError(
      declaredIn,
      `${field} is ${JSON.stringify(checked)}, a link that leads out of the model folder (to ${real}); copy the file into the folder instead`,
    );
  }
  return path;
}
