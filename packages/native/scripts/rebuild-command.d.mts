import type { NativeEnablePlace } from '@seqloom/core/enable-command';

/** The package's folder. */
export declare const PACKAGE_DIR: string;
/** build/install-failure.json: why the install step could not build the addon. */
export declare const FAILURE_FILE: string;
/** The command that (re)builds the addon of the package in `packageDir` for a shell in `cwd` (monorepo, npm, pnpm, global). */
export declare function rebuildCommand(packageDir?: string, cwd?: string): string;
/** Where the package in `packageDir` sits, for `nativeEnableCommand` (monorepo, npm project, global, or its build script by path). */
export declare function enablePlace(packageDir?: string, cwd?: string): NativeEnablePlace;
/** What to install before rebuilding for a build that failed for `reason`, if anything. */
export declare function prerequisite(reason: string, platform?: string): string | undefined;
/** The prerequisite (where one applies) and the rebuild command, joined with `&&`. */
export declare function fixCommand(reason: string, packageDir?: string, cwd?: string): string;
/** Records why the install step did not build the addon. */
export declare function writeInstallFailure(reason: string): void;
/** Forgets a recorded install failure. */
export declare function clearInstallFailure(): void;
/** The reason the install step recorded, or undefined. */
export declare function readInstallFailure(): string | undefined;
