import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The CLI package's folder (src/ or dist/ → the package root). */
export const CLI_PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where this copy of @seqloom/cli runs from, which decides the commands that messages name. */
export type InstallLocation = 'monorepo' | 'global' | 'project';

/**
 * `monorepo` in a seqloom checkout (a pnpm-workspace.yaml above the package,
 * no node_modules between), `global` for `npm i -g` (the folder holding
 * node_modules has no package.json), else `project` (a dependency of a project).
 */
export function installLocation(packageDir: string = CLI_PACKAGE_DIR): InstallLocation {
  let dir = packageDir;
  try {
    dir = realpathSync(packageDir);
  } catch {
    // keep the path as given
  }
  const at = dir.indexOf(`${sep}node_modules${sep}`);
  if (at >= 0) return existsSync(join(dir.slice(0, at), 'package.json')) ? 'project' : 'global';
  for (let up = dir, n = 0; n < 4 && dirname(up) !== up; up = dirname(up), n += 1) {
    if (existsSync(join(up, 'pnpm-workspace.yaml'))) return 'monorepo';
  }
  return 'global';
}

/** How the user runs seqloom where they are: `pnpm seqloom` (the monorepo), `seqloom` (global), `npx seqloom` (a project's dependency). */
export function seqloomCommand(location: InstallLocation = installLocation()): string {
  return location === 'monorepo' ? 'pnpm seqloom' : location === 'global' ? 'seqloom' : 'npx seqloom';
}
