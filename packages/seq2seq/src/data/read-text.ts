import { DataError } from './data-error.js';
import { readLines } from './read-lines.js';

/**
 * Reads a whole UTF-8 text file for language modelling, streaming it line by
 * line and joining the lines with `\n` (a `\r\n` ending becomes `\n`).
 * Throws a {@link DataError} for an empty file or invalid UTF-8.
 */
export async function readText(file: string): Promise<string> {
  const lines: string[] = [];
  for await (const { text } of readLines(file)) lines.push(text);
  const text = lines.join('\n');
  if (text.trim() === '') throw new DataError('the text file is empty; lm training needs text', { file });
  return text;
}
