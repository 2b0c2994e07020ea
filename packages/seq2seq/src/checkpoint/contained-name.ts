import { CheckpointError } from './checkpoint-error.js';

/** Absolute in POSIX or Windows terms: a leading slash or backslash, or a drive letter. */
function isAbsoluteName(name: string): boolean {
  return /^[\\/]/.test(name) || /^[a-zA-Z]:/.test(name);
}

/**
 * Why `name` cannot name a file inside a model folder (absolute, with `..`
 * or empty segments, a NUL byte), or undefined when it is a plain relative path.
 * Purely textual: nothing is read (so a folder on disk, a URL and a set of
 * picked files are checked alike).
 */
export function uncontainedReason(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') return 'is not a file name';
  if (name.includes('\0')) return 'holds a NUL byte';
  if (isAbsoluteName(name)) return 'is an absolute path';
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
