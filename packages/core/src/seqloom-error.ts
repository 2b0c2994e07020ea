/** What a {@link SeqloomError} says besides its message. */
export interface SeqloomErrorOptions {
  /**
   * True (the default) when the error is about what the user gave: an input,
   * an option, a file. False for an internal failure (a broken invariant, a
   * worker that died), which a command line reports as an internal error.
   */
  userFacing?: boolean;
  /** The file (or folder, or URL) at fault, when there is one. */
  file?: string;
  /** The option (or argument) at fault, when there is one. */
  option?: string;
  /** The 1-based line of `file` at fault, when known. */
  line?: number;
  /** The error that caused this one. */
  cause?: unknown;
}

/** Marks every SeqloomError, whichever copy of this package made it. */
const BRAND = Symbol.for('@seqloom/core:SeqloomError');

/**
 * The base class of every error a seqloom package throws. `userFacing` tells
 * a caller (the command line, a server) whether the message is for the person
 * who gave the input (show it as it is) or reports an internal failure (show
 * it as one, with details on request). `file`, `option` and `line` name the
 * input at fault where the error knows it; the message names it too.
 * `instanceof SeqloomError` holds for errors from any copy of
 * `@seqloom/core` (two versions installed side by side).
 */
export class SeqloomError extends Error {
  override name: string = 'SeqloomError';
  /** True when the error is about the user's input, options or files; false for an internal failure. */
  readonly userFacing: boolean;
  /** The file (or folder, or URL) at fault, when there is one. */
  readonly file?: string;
  /** The option (or argument) at fault, when there is one. */
  readonly option?: string;
  /** The 1-based line of `file` at fault, when known. */
  readonly line?: number;

  constructor(message: string, options: SeqloomErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.userFacing = options.userFacing ?? true;
    if (options.file !== undefined) this.file = options.file;
    if (options.option !== undefined) this.option = options.option;
    if (options.line !== undefined) this.line = options.line;
  }

  /** `value instanceof SeqloomError`: by brand, so that errors from another copy of this package count too. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== SeqloomError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

Object.defineProperty(SeqloomError.prototype, BRAND, { value: true });
