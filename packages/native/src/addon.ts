import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type NativeAddon, SeqloomError } from '@seqloom/core';
import { fixCommand, readInstallFailure } from '../scripts/rebuild-command.mjs';
import { selectOpenblasCore } from './openblas-core.js';

export type { BlasInfo, NativeAddon } from '@seqloom/core';

/**
 * The one command that builds the addon here, on Debian/Ubuntu: OpenBLAS, then the build
 * as it runs where this copy of the package is (`pnpm --filter @seqloom/native build` in the
 * seqloom monorepo, `npm rebuild @seqloom/native` in an npm project, `npm rebuild -g
 * @seqloom/native` for a global install, else `node <this package>/scripts/build.mjs`).
 */
export const ENABLE_NATIVE_COMMAND: string = fixCommand('no BLAS');

/** Where the install step writes the addon. */
export const ADDON_PATH = fileURLToPath(new URL('../build/seqloom_native.node', import.meta.url));

/** The addon could not be loaded (not built, or its BLAS is missing). */
export class NativeUnavailableError extends SeqloomError {
  constructor(message: string) {
    super(message);
    this.name = 'NativeUnavailableError';
  }
}

let loaded: NativeAddon | undefined;
let failure: string | undefined;

function load(): NativeAddon {
  if (!existsSync(ADDON_PATH)) {
    const failed = readInstallFailure();
    if (failed !== undefined) {
      throw new NativeUnavailableError(`the addon was not built when @seqloom/native was installed (${failed}); build it with \`${fixCommand(failed)}\``);
    }
    throw new NativeUnavailableError(`the addon is not built (no ${ADDON_PATH}); build it with \`${ENABLE_NATIVE_COMMAND}\``);
  }
  selectOpenblasCore(); // before the library initialises
  try {
    return createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
  } catch (error) {
    throw new NativeUnavailableError(`cannot load ${ADDON_PATH} (${(error as Error).message.split('\n')[0]}); rebuild it with \`${ENABLE_NATIVE_COMMAND}\``);
  }
}

/** The addon, loaded once (setting OPENBLAS_CORETYPE first); throws {@link NativeUnavailableError}. */
export function loadNativeAddon(): NativeAddon {
  if (loaded !== undefined) return loaded;
  if (failure !== undefined) throw new NativeUnavailableError(failure);
  try {
    loaded = load();
    loaded.setThreads(1, 0);
    return loaded;
  } catch (error) {
    failure = (error as Error).message;
    throw error;
  }
}

/** Why the addon cannot load, or undefined when it can. */
export function nativeUnavailableReason(): string | undefined {
  try {
    loadNativeAddon();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
