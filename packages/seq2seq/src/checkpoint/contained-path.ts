import { realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';
import { checkContainedName } from './contained-name.js';

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
