/** The npm name of the native engine, `@seqloom/native`. */
export declare const NATIVE_PACKAGE: string;

/**
 * Where a copy of `@seqloom/native` sits, as the install-location logic finds it:
 * `monorepo`, a seqloom checkout; `project`, a dependency laid out by npm (`projectDir`:
 * the project's folder, given when the user's shell is elsewhere); `global`, `npm i -g`;
 * `script`, anywhere its build script must run by path (pnpm's layout, which skips
 * unapproved build scripts); `unknown`, not found out (the message names the project and
 * repository commands).
 */
export type NativeEnablePlace =
  | { readonly location: 'monorepo' }
  | { readonly location: 'project'; readonly projectDir?: string }
  | { readonly location: 'global' }
  | { readonly location: 'script'; readonly script: string; readonly projectDir?: string }
  | { readonly location: 'unknown' };

/** Options of {@link nativeEnableCommand}. */
export interface NativeEnableOptions {
  /** False when the package itself is missing: the command installs it. Default true: the command builds its addon. */
  readonly installed?: boolean;
  /** A command to run first (the library or compiler the build lacked). */
  readonly prerequisite?: string;
}

/**
 * The one command that enables the native engine at `place`: `pnpm --filter @seqloom/native
 * build` in the monorepo, `npm rebuild @seqloom/native` in an npm project (after `cd` to it
 * when `projectDir` is given), `npm rebuild -g @seqloom/native` for a global install, `node
 * <script>` by path; with `installed: false`, the matching install command.
 */
export declare function nativeEnableCommand(place: NativeEnablePlace, options?: NativeEnableOptions): string;

/** `path` as one shell word: unchanged when it is plain path characters, else double-quoted. */
export declare function shellWord(path: string): string;
