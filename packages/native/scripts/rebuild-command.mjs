// Where this copy of @seqloom/native sits (the seqloom monorepo, a project's
// node_modules laid out by npm or pnpm, a global install), and so the commands
// that build its addon there. Shared by the install step (scripts/build.mjs)
// and the runtime's messages (src/addon.ts); plain JavaScript so that the
// install step needs nothing built. The command's text is @seqloom/core's
// nativeEnableCommand; this file only finds out where the package is.

import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeEnableCommand } from '@seqloom/core/enable-command';

/** The package's folder (this file is in scripts/). */
export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What the install step leaves in build/ when it could not build the addon: the reason, read back at run time. */
export const FAILURE_FILE = join(PACKAGE_DIR, 'build', 'install-failure.json');

function real(path) {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** True when `dir` is inside a pnpm workspace checkout (a pnpm-workspace.yaml above it, no node_modules between). */
function inWorkspace(dir) {
  for (let at = dir, up = 0; up < 4; at = dirname(at), up += 1) {
    if (existsSync(join(at, 'pnpm-workspace.yaml'))) return true;
    if (dirname(at) === at) break;
  }
  return false;
}

/**
 * The one command that (re)builds the addon of the package in `packageDir`, for a user whose
 * shell is in `cwd`: `pnpm --filter @seqloom/native build` in the seqloom monorepo;
 * `npm rebuild @seqloom/native` in the npm project that installed it (`-g` for a global npm
 * install); else (pnpm's layout, where `pnpm rebuild` skips a package whose build scripts
 * were not approved, or any other) running the build script by its path, which works in
 * every layout.
 */
export function rebuildCommand(packageDir = PACKAGE_DIR, cwd = process.cwd()) {
  return nativeEnableCommand(enablePlace(packageDir, cwd));
}

/** Where the package in `packageDir` sits, as nativeEnableCommand takes it (see {@link rebuildCommand}). */
export function enablePlace(packageDir = PACKAGE_DIR, cwd = process.cwd()) {
  const dir = real(packageDir);
  const marker = `${sep}node_modules${sep}`;
  const at = dir.indexOf(marker);
  const script = { location: 'script', script: join(dir, 'scripts', 'build.mjs') };
  if (at < 0) return inWorkspace(dir) ? { location: 'monorepo' } : script;
  const project = dir.slice(0, at);
  if (dir.includes(`${marker}.pnpm${sep}`)) return script;
  // a global npm install: <prefix>/lib/node_modules/…, with no package.json in <prefix>/lib
  if (!existsSync(join(project, 'package.json'))) return { location: 'global' };
  return real(cwd) === project ? { location: 'project' } : { location: 'project', projectDir: project };
}

/** What to install before rebuilding, for a build that failed for `reason` (as scripts/build.mjs words it: no BLAS headers, no C compiler …). */
export function prerequisite(reason, platform = process.platform) {
  if (/oneDNN/.test(reason)) return platform === 'darwin' ? undefined : 'apt-get install -y libdnnl-dev';
  if (/BLAS/.test(reason)) {
    return platform === 'darwin' ? undefined : 'apt-get install -y libopenblas-dev';
  }
  if (/C compiler/.test(reason)) return platform === 'darwin' ? 'xcode-select --install' : 'apt-get install -y build-essential';
  return undefined;
}

/** The full fix for `reason`: the prerequisite (where one applies) and the rebuild command. */
export function fixCommand(reason, packageDir = PACKAGE_DIR, cwd = process.cwd()) {
  const first = prerequisite(reason);
  return nativeEnableCommand(enablePlace(packageDir, cwd), first === undefined ? {} : { prerequisite: first });
}

/** Records why the install step did not build the addon, for the runtime to say once. */
export function writeInstallFailure(reason) {
  try {
    writeFileSync(FAILURE_FILE, `${JSON.stringify({ reason, at: new Date().toISOString() })}\n`);
  } catch {
    // a read-only package folder: the runtime still says the addon is missing
  }
}

/** Forgets a recorded failure (the addon is now built). */
export function clearInstallFailure() {
  rmSync(FAILURE_FILE, { force: true });
}

/** The reason the install step recorded, or undefined when there is none. */
export function readInstallFailure() {
  try {
    const { reason } = JSON.parse(readFileSync(FAILURE_FILE, 'utf8'));
    return typeof reason === 'string' ? reason : undefined;
  } catch {
    return undefined;
  }
}
