import { SeqloomError } from '@seqloom/core';

/** A Hugging Face export folder (or one of its files) is missing, malformed or unsupported; the message names the file and field. */
export class OnnxModelError extends SeqloomError {
  override readonly name = 'OnnxModelError';
}

/** A short, printable description of an untrusted JSON value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
