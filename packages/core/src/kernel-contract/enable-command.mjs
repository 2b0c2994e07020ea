// The one text of the command that enables seqloom's native engine, by where
// the package is installed. Plain JavaScript with no import, so that the native
// package's install step (which runs before anything is compiled) and the
// TypeScript packages read the same function; types in enable-command.d.mts.

/** The npm name of the native engine. */
export const NATIVE_PACKAGE = '@seqloom/native';

/** A path as one shell word (quoted when it holds anything but plain path characters). */
export function shellWord(path) {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `"${path.replaceAll('"', '\\"')}"`;
}

function rebuild(place) {
  switch (place.location) {
    case 'monorepo':
      return `pnpm --filter ${NATIVE_PACKAGE} build`;
    case 'global':
      return `npm rebuild -g ${NATIVE_PACKAGE}`;
    case 'script':
      return `node ${shellWord(place.script)}`;
    case 'project':
      return place.projectDir === undefined ? `npm rebuild ${NATIVE_PACKAGE}` : `cd ${shellWord(place.projectDir)} && npm rebuild ${NATIVE_PACKAGE}`;
    default:
      return `${rebuild({ location: 'project' })} (in the seqloom repository: ${rebuild({ location: 'monorepo' })})`;
  }
}

function install(place) {
  switch (place.location) {
    case 'monorepo':
      return 'pnpm install';
    case 'global':
      return `npm install -g ${NATIVE_PACKAGE}`;
    case 'project':
    case 'script':
      return place.projectDir === undefined ? `npm install ${NATIVE_PACKAGE}` : `cd ${shellWord(place.projectDir)} && npm install ${NATIVE_PACKAGE}`;
    default:
      return `${install({ location: 'project' })} (in the seqloom repository: ${install({ location: 'monorepo' })})`;
  }
}

/**
 * The command that enables the native engine where the package is (see
 * enable-command.d.mts for `place`): (re)building its addon, or installing the
 * package when `installed` is false; `prerequisite` (e.g. `apt-get install -y
 * libopenblas-dev`) goes first, joined with `&&`.
 */
export function nativeEnableCommand(place, options = {}) {
  const command = options.installed === false ? install(place) : rebuild(place);
  return options.prerequisite === undefined ? command : `${options.prerequisite} && ${command}`;
}
