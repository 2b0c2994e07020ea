import { SeqloomError } from '@seqloom/core';

/**
 * Base class of every error @seqloom/tokenizer throws on bad input. Messages name
 * the file, field, line or option at fault and the expected form.
 */
export class TokenizerError extends SeqloomError {
  override name = 'TokenizerError';
}

/** A training corpus that is empty or yields something other than strings. */
export class CorpusError extends TokenizerError {
  override name = 'CorpusError';
}

/** An invalid option passed to a trainer, encoder or embedding function. */
export class TokenizerOptionError extends TokenizerError {
  override name = 'TokenizerOptionError';
}

/** A `tokenizer.json` / `tokenizer_config.json` that is not JSON or not a supported tokenizer. */
export class TokenizerFormatError extends TokenizerError {
  override name = 'TokenizerFormatError';
}

/** A word-vectors file with a malformed header or row. */
export class VectorsFormatError extends TokenizerError {
  override name = 'VectorsFormatError';
}

/** A file or stream that is not valid UTF-8; `line` is the 1-based line of the first bad byte, when known. */
export class Utf8Error extends TokenizerError {
  override name = 'Utf8Error';
  declare readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message, line === undefined ? {} : { line });
  }
}
