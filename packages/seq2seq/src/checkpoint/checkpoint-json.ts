import { describeJsonSyntaxError } from '@seqloom/tokenizer';
import { CheckpointError } from './checkpoint-error.js';

/**
 * Parses the text of a checkpoint's JSON file, naming `path` in the error: a
 * file cut short says so, an error inside one says where.
 */
export function parseCheckpointJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const at = /at position (\d+)/.exec(message);
    const truncated = /end of JSON input|Unterminated string/.test(message) || (at !== null && Number(at[1]) >= text.trimEnd().length);
    throw new CheckpointError(
      path,
      truncated
        ? 'not valid JSON (truncated or corrupt); save the checkpoint again'
        : `not valid JSON (${describeJsonSyntaxError(text, error)}); the file is corrupt, save the checkpoint again`,
    );
  }
}
