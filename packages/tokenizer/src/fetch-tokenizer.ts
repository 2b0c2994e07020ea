// Tokenizers from a URL or from File objects: the browser's ways to a
// tokenizer.json (they work under Node too, where fetch and Blob exist).
import { TokenizerError, TokenizerFormatError } from './errors.js';
import type { Tokenizer, TokenizerSourceOptions } from './tokenizer.js';
import { tokenizerFromJson } from './tokenizer-from-json.js';
import { parseJsonText } from './tokenizer-json.js';
import { decodeUtf8Strict } from './utf8-text.js';

/** Options of {@link tokenizerFromUrl}. */
export interface TokenizerUrlOptions extends Omit<TokenizerSourceOptions, 'source'> {
  /**
   * Where `tokenizer_config.json` is: by default beside a URL ending in `tokenizer.json`
   * or inside a folder URL (ending in `/`), where a 404 means there is none; `false`: none.
   */
  configUrl?: string | URL | false;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

/** A URL resolved against the page (in a browser) or required to be absolute (elsewhere). */
function absoluteUrl(url: string | URL, what: string): URL {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  try {
    return new URL(url, base);
  } catch {
    throw new TokenizerError(
      `${what} ${JSON.stringify(String(url))} is not a URL${base ? '' : ' (outside a page it must be absolute, e.g. http://127.0.0.1:8080/tokenizer.json)'}`,
    );
  }
}

/** The bytes at `url`, or null for a 404 when `optional`. */
async function fetchBytes(url: URL, what: string, fetcher: typeof fetch, optional: boolean): Promise<Uint8Array | null> {
  let response: Response;
  try {
    response = await fetcher(url.href);
  } catch (error) {
    throw new TokenizerError(`${what} ${url.href} cannot be fetched (${error instanceof Error ? error.message : String(error)})`);
  }
  if (response.status === 404 && optional) return null;
  if (!response.ok)
    throw new TokenizerError(`${what} ${url.href} cannot be fetched (HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''})`);
  return new Uint8Array(await response.arrayBuffer());
}

function asConfig(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenizerFormatError(`${where} must hold a JSON object (tokenizer_config.json)`);
  }
  return value as Record<string, unknown>;
}

/**
 * Fetch a tokenizer: `url` names a `tokenizer.json`, or a folder (ending in `/`)
 * holding one; its `tokenizer_config.json` is read from beside it when present.
 * Files are checked as {@link loadTokenizer} checks them (strict UTF-8, JSON, format).
 */
export async function tokenizerFromUrl(url: string | URL, options: TokenizerUrlOptions = {}): Promise<Tokenizer> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const given = absoluteUrl(url, 'tokenizer URL');
  const file = given.pathname.endsWith('/') ? new URL('tokenizer.json', given) : given;
  const besideConfig = file.pathname.endsWith('/tokenizer.json') ? new URL('tokenizer_config.json', file) : null;
  const configUrl =
    options.configUrl === false ? null : options.configUrl !== undefined ? absoluteUrl(options.configUrl, 'tokenizer config URL') : besideConfig;
  const [bytes, configBytes] = await Promise.all([
    fetchBytes(file, 'tokenizer file', fetcher, false),
    configUrl === null ? null : fetchBytes(configUrl, 'tokenizer config', fetcher, options.configUrl === undefined),
  ]);
  const config =
    configBytes === null || configUrl === null
      ? {}
      : asConfig(parseJsonText(decodeUtf8Strict(configBytes, 'tokenizer config', configUrl.href), configUrl.href), configUrl.href);
  const json = parseJsonText(decodeUtf8Strict(bytes!, 'tokenizer file', file.href), file.href) as object;
  const { configUrl: _c, fetch: _f, ...rest } = options;
  return tokenizerFromJson(json, config, { ...rest, source: file.href });
}

/** A file picked in a page (`<input type="file">`, drag and drop): any Blob, named when it is a File. */
export type PickedFile = Blob & { readonly name?: string };

/** Options of {@link tokenizerFromFile}. */
export interface TokenizerFileOptions extends Omit<TokenizerSourceOptions, 'source'> {
  /** The `tokenizer_config.json` picked with it (special-token roles). */
  config?: PickedFile;
}

async function readPicked(file: PickedFile, what: string): Promise<{ text: string; name: string }> {
  if (typeof Blob === 'undefined' || !(file instanceof Blob)) {
    throw new TokenizerError(`${what} must be a File or Blob (from an <input type="file"> or a drop), got ${file === null ? 'null' : typeof file}`);
  }
  const name = typeof file.name === 'string' && file.name !== '' ? file.name : `(${what})`;
  return { text: decodeUtf8Strict(new Uint8Array(await file.arrayBuffer()), what, name), name };
}

/** Build a tokenizer from a picked `tokenizer.json` file (and optionally its `tokenizer_config.json`). */
export async function tokenizerFromFile(file: PickedFile, options: TokenizerFileOptions = {}): Promise<Tokenizer> {
  const { config: configFile, ...rest } = options;
  const picked = await readPicked(file, 'tokenizer file');
  let config: Record<string, unknown> = {};
  if (configFile !== undefined) {
    const read = await readPicked(configFile, 'tokenizer config');
    config = asConfig(parseJsonText(read.text, read.name), read.name);
  }
  return tokenizerFromJson(parseJsonText(picked.text, picked.name) as object, config, { ...rest, source: picked.name });
}
