import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { TokenizerError, TokenizerFormatError } from './errors.js';
import { tokenizerFromJson } from './node-tokenizer.js';
import type { Tokenizer, TokenizerSourceOptions } from './tokenizer.js';
import { parseJsonText } from './tokenizer-json.js';
import { readUtf8File } from './utf8-file.js';

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() === true;
}

/** A file of a given folder (a model folder, say) may not be a link that leads out of it. */
async function checkInside(folder: string, file: string): Promise<void> {
  const [root, real] = await Promise.all([realpath(folder), realpath(file)]);
  const inside = relative(root, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new TokenizerError(`${file} is a link that leads out of the folder ${folder} (to ${real}); copy the file into the folder instead`);
  }
}

async function readConfig(path: string): Promise<Record<string, unknown>> {
  const config = parseJsonText(await readUtf8File(path, 'tokenizer config'), path);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TokenizerFormatError(`${path} must hold a JSON object (tokenizer_config.json)`);
  }
  return config as Record<string, unknown>;
}

/**
 * Load a tokenizer from a `tokenizer.json` file, or from a folder holding
 * `tokenizer.json` and optionally `tokenizer_config.json` (also read when it sits
 * beside a file named `tokenizer.json`).
 */
export async function loadTokenizer(path: string, options: Omit<TokenizerSourceOptions, 'source'> = {}): Promise<Tokenizer> {
  const info = await stat(path).catch(() => null);
  if (info === null) throw new TokenizerError(`tokenizer ${path} does not exist; pass a tokenizer.json file or a folder containing one`);
  const file = info.isDirectory() ? join(path, 'tokenizer.json') : path;
  if (info.isDirectory() && !(await exists(file))) {
    throw new TokenizerError(`folder ${path} has no tokenizer.json; pass a tokenizer.json file or a folder containing one`);
  }
  const configPath = join(dirname(file), 'tokenizer_config.json');
  const useConfig = (info.isDirectory() || basename(file) === 'tokenizer.json') && (await exists(configPath));
  if (info.isDirectory()) {
    await checkInside(path, file);
    if (useConfig) await checkInside(path, configPath);
  }
  const config = useConfig ? await readConfig(configPath) : {};
  const text = await readUtf8File(file, 'tokenizer file');
  return tokenizerFromJson(parseJsonText(text, file) as object, config, { ...options, source: file });
}
