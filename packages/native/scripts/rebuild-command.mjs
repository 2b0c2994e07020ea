// Where this copy of @seqloom/native sits (the seqloom monorepo, a project's
// node_modules laid out by npm or pnpm, a global install), and so the commands
// that build its addon there. Shared by the install step (scripts/build.mjs)
// and the runtime's messages (src/addon.ts); plain JavaScript so that the
// install step needs nothing built.
import { existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function quote(path) {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `"${path.replaceAll('"', '\\"')}"`;
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
  const dir = real(packageDir);
  const marker = `${sep}node_modules${sep}`;
  const at = dir.indexOf(marker);
  const direct = `node ${quote(join(dir, 'scripts', 'build.mjs'))}`;
  if (at < 0) return inWorkspace(dir) ? 'pnpm --filter @seqloom/native build' : direct;
  const project = dir.slice(0, at);
  const pnpm = dir.includes(`${marker}.pnpm${sep}`);
  if (pnpm) return direct;
  // a global npm install: <prefix>/lib/node_modules/…, with no package.json in <prefix>/lib
  if (!existsSync(join(project, 'package.json'))) return 'npm rebuild -g @seqloom/native';
  const command = 'npm rebuild @seqloom/native';
  return real(cwd) === project ? command : `cd ${quote(project)} && ${command}`;
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
  const rebuild = rebuildCommand(packageDir, cwd);
  return first === undefined ? rebuild : `${first} && ${rebuild}`;
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
