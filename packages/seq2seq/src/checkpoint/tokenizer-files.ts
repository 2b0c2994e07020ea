/**
 * Tokenizers saved with a model; opaque JSON objects (anything with `toJSON()`
 * works). An object with `toConfig()` (a `@seqloom/tokenizer` Tokenizer) also
 * gets its tokenizer_config.json (special-token roles) written beside it.
 */
export interface CheckpointTokenizers {
  /** The target (or, for `lm`, only) tokenizer → tokenizer.json. */
  target?: unknown;
  /** The source tokenizer → source-tokenizer.json, when it differs from the target one. */
  source?: unknown;
}

/** A tokenizer object that can give its `tokenizer_config.json` (special-token roles). */
interface ConfigurableTokenizer {
  toConfig(): Record<string, unknown>;
}

function hasConfig(value: unknown): value is ConfigurableTokenizer {
  return typeof value === 'object' && value !== null && typeof (value as ConfigurableTokenizer).toConfig === 'function';
}

/** One file of a checkpoint's tokenizers: its name and JSON value. */
export interface TokenizerFile {
  name: string;
  value: unknown;
}

/** The tokenizer.json / tokenizer_config.json files (and source-* ones) to write for `tokenizers`. */
export function tokenizerFiles(tokenizers: CheckpointTokenizers): {
  tokenizer: TokenizerFile | null;
  tokenizerConfig: TokenizerFile | null;
  sourceTokenizer: TokenizerFile | null;
  sourceTokenizerConfig: TokenizerFile | null;
} {
  const { target, source } = tokenizers;
  const separateSource = source !== undefined && source !== target;
  return {
    tokenizer: target !== undefined ? { name: 'tokenizer.json', value: target } : null,
    tokenizerConfig: hasConfig(target) ? { name: 'tokenizer_config.json', value: target.toConfig() } : null,
    sourceTokenizer: separateSource ? { name: 'source-tokenizer.json', value: source } : null,
    sourceTokenizerConfig: separateSource && hasConfig(source) ? { name: 'source-tokenizer_config.json', value: source.toConfig() } : null,
  };
}
