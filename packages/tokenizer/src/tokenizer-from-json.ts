import type { Tokenizer, TokenizerSourceOptions } from './tokenizer.js';
import { buildTokenizer } from './tokenizer.js';
import type { TokenizerJson } from './tokenizer-json.js';

/**
 * Build a {@link Tokenizer} from a `tokenizer.json` (object or text) and an optional
 * `tokenizer_config.json` object, without a file system: everything but `save` works
 * (in a browser, keep `toJSON()` and `toConfig()`). Under Node, the package root's
 * `tokenizerFromJson` gives a tokenizer that saves too.
 */
export function tokenizerFromJson(
  json: TokenizerJson | string | object,
  config: Record<string, unknown> = {},
  options: TokenizerSourceOptions = {},
): Tokenizer {
  return buildTokenizer(json, config, options, null);
}
