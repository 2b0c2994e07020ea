import { DecodeOptionError, validateGenerateOptions } from '@seqloom/decode';

/**
 * Checks default decoding options (saved as generation.json) with
 * `@seqloom/decode`'s own validation, so that a misspelt or out-of-range
 * option is reported when training starts or a checkpoint is saved, not when
 * the checkpoint is first used. `fail` builds the error from the message.
 */
export function checkGenerationOptions(
  generation: Record<string, unknown> | undefined,
  vocabSize: number,
  fail: (message: string) => Error,
): void {
  if (generation === undefined) return;
  try {
    validateGenerateOptions(generation, vocabSize);
  } catch (error) {
    if (!(error instanceof DecodeOptionError)) throw error;
    // One line: an option name may hold line breaks.
    const message = error.message.replace(/[\r\n]+/g, (m) => JSON.stringify(m).slice(1, -1));
    throw fail(`generation options (generation.json) are invalid: ${message}; fix them or leave them out for the defaults`);
  }
}
