import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '@seqloom/core/node';
import type { Tokenizer, TokenizerSourceOptions, TokenizerWriter } from './tokenizer.js';
import { buildTokenizer } from './tokenizer.js';
import type { TokenizerJson } from './tokenizer-json.js';

/**
 * Writes atomically. A folder (existing, or a path ending in '/') receives
 * `tokenizer.json` and `tokenizer_config.json`; any other path is the `tokenizer.json`
 * file itself, with `tokenizer_config.json` beside it when the file is named `tokenizer.json`.
 */
const saveFiles: TokenizerWriter = async (path, json, config) => {
  const isDir = path.endsWith('/') || (await stat(path).catch(() => null))?.isDirectory() === true;
  const file = isDir ? join(path, 'tokenizer.json') : path;
  await writeFileAtomic(file, `${JSON.stringify(json, null, 2)}\n`);
  if (isDir || basename(file) === 'tokenizer.json') {
    await writeFileAtomic(join(dirname(file), 'tokenizer_config.json'), `${JSON.stringify(config, null, 2)}\n`);
  }
};

/**
 * Build a {@link Tokenizer} from a `tokenizer.json` (object or text) and an optional
 * `tokenizer_config.json` object. Special tokens the vocabulary lacks are added as
 * special added tokens after the largest id. `save` writes files (Node).
 */
export function tokenizerFromJson(
  json: TokenizerJson | string | object,
  config: Record<string, unknown> = {},
  options: TokenizerSourceOptions = {},
): Tokenizer {
  return buildTokenizer(json, config, options, saveFiles);
}
