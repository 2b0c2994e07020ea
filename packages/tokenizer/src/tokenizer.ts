import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { ByteLevelBpeEncoder } from './byte-level-bpe-encoder.js';
import { CharEncoder } from './char-encoder.js';
import type { EncodeBatchOptions, EncodedBatch } from './encode-batch.js';
import { buildBatch } from './encode-batch.js';
import { TokenizerError, TokenizerFormatError } from './errors.js';
import type { SpecialTokens } from './special-tokens.js';
import { resolveSpecialTokens, withSpecialTokens } from './special-tokens.js';
import type { StreamingDetokenizer } from './streaming-detokenizer.js';
import { DecodingDetokenizer } from './streaming-detokenizer.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { parseTokenizerJson, vocabularySize } from './tokenizer-json.js';

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Prepend the bos token. Default false. */
  addBos?: boolean;
  /** Append the eos (stop) token. Default false. */
  addEos?: boolean;
}

/** Options of {@link Tokenizer.decode} and {@link Tokenizer.createDetokenizer}. */
export interface DecodeOptions {
  /** Leave special tokens (pad, bos, eos, unk, other added specials) out of the text. Default true. */
  skipSpecialTokens?: boolean;
}

/** A tokenizer over any Hugging Face `tokenizer.json`, with the special tokens seq2seq needs. */
export interface Tokenizer {
  /** Number of ids (largest id + 1), special tokens included. */
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number;
  /** The stop token's id. */
  readonly eosId: number;
  readonly unkId: number;
  readonly specialTokens: SpecialTokens;
  /** Text → ids. Special-token text inside `text` maps to its id. */
  encode(text: string, options?: EncodeOptions): number[];
  /** Ids → text; special tokens are skipped unless `skipSpecialTokens: false`. */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  /** Encode texts into a padded rectangular batch with lengths and a mask. */
  encodeBatch(texts: readonly string[], options?: EncodeBatchOptions): EncodedBatch;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** A detokeniser that emits text only once it is final. */
  createDetokenizer(options?: DecodeOptions): StreamingDetokenizer;
  /** The full `tokenizer.json` object, special tokens included. */
  toJSON(): TokenizerJson;
  /** The `tokenizer_config.json` object that records the special tokens. */
  toConfig(): Record<string, unknown>;
  /**
   * Write atomically. A folder (existing, or a path ending in '/') receives
   * `tokenizer.json` and `tokenizer_config.json`; any other path is the `tokenizer.json` file itself,
   * and when that file is named `tokenizer.json` the `tokenizer_config.json` that records the
   * special-token roles is written beside it (where `loadTokenizer` reads it back).
   */
  save(path: string): Promise<void>;
}

/** Writes a tokenizer's files for {@link Tokenizer.save} (Node: see node-tokenizer.ts). */
export type TokenizerWriter = (path: string, json: TokenizerJson, config: Record<string, unknown>) => Promise<void>;

/** Options when building a tokenizer from JSON. */
export interface TokenizerSourceOptions {
  /** Overrides for the special tokens (else from the config, the model's unk_token, or the defaults). */
  specialTokens?: Partial<SpecialTokens>;
  /** Names the source in error messages (a file path). */
  source?: string;
}

function createHf(json: TokenizerJson, config: Record<string, unknown>, source: string): HfTokenizer {
  try {
    return new HfTokenizer(json, config);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new TokenizerFormatError(`${source}: @huggingface/tokenizers cannot load it (${why}); check the normalizer, pre_tokenizer, model and decoder types`);
  }
}

class JsonTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId: number;
  readonly specialTokens: SpecialTokens;
  private readonly hf: HfTokenizer;
  /** An exact, faster encoder for byte-level BPE or character tokenizers; null → @huggingface/tokenizers. */
  private readonly fast: { encode(text: string, out: number[]): number[] } | null;
  private readonly continuationPrefix: string | null;

  constructor(
    private readonly json: TokenizerJson,
    private readonly config: Record<string, unknown>,
    source: string,
    private readonly writer: TokenizerWriter | null,
  ) {
    this.specialTokens = resolveSpecialTokens(undefined, config);
    this.hf = createHf(json, config, source);
    this.vocabSize = vocabularySize(json);
    const id = (token: string): number => this.hf.token_to_id(token) as number;
    this.padId = id(this.specialTokens.pad);
    this.bosId = id(this.specialTokens.bos);
    this.eosId = id(this.specialTokens.eos);
    this.unkId = id(this.specialTokens.unk);
    const normalize = this.hf.normalizer;
    this.fast = ByteLevelBpeEncoder.tryCreate(json) ?? CharEncoder.tryCreate(json, this.unkId, normalize === null ? null : (text) => normalize(text));
    const decoder = json.decoder;
    this.continuationPrefix =
      json.model.type === 'WordPiece' || decoder?.type === 'WordPiece' ? String(decoder?.prefix ?? json.model.continuing_subword_prefix ?? '##') : null;
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== 'string') throw new TokenizerError(`encode: text must be a string, got ${typeof text}`);
    const out: number[] = options.addBos ? [this.bosId] : [];
    if (this.fast !== null) this.fast.encode(text, out);
    else for (const id of this.hf.encode(text, { add_special_tokens: false }).ids) out.push(id ?? this.unkId);
    if (options.addEos) out.push(this.eosId);
    return out;
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const list = Array.from(ids);
    if (list.length === 0) return '';
    for (let i = 0; i < list.length; i++) {
      const id = list[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize || this.hf.id_to_token(id) === undefined) {
        throw new TokenizerError(`decode: ids[${i}] = ${id} is not a token id of this vocabulary (0..${this.vocabSize - 1})`);
      }
    }
    return this.hf.decode(list, { skip_special_tokens: options.skipSpecialTokens ?? true });
  }

  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): EncodedBatch {
    return buildBatch(texts, (text) => this.encode(text), this, options);
  }

  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  createDetokenizer(options: DecodeOptions = {}): StreamingDetokenizer {
    const prefix = this.continuationPrefix;
    return new DecodingDetokenizer({
      decode: (ids) => this.decode(ids, options),
      continuesWord: prefix === null ? null : (id) => this.idToToken(id)?.startsWith(prefix) === true,
    });
  }

  toJSON(): TokenizerJson {
    return structuredClone(this.json);
  }

  toConfig(): Record<string, unknown> {
    const { pad, bos, eos, unk } = this.specialTokens;
    return { ...this.config, pad_token: pad, bos_token: bos, eos_token: eos, unk_token: unk };
  }

  save(path: string): Promise<void> {
    if (this.writer === null) {
      return Promise.reject(
        new TokenizerError(
          `save(${JSON.stringify(path)}) writes files, which needs Node's file system; in a browser keep toJSON() and toConfig() instead (or import @seqloom/tokenizer under Node)`,
        ),
      );
    }
    return this.writer(path, this.json, this.toConfig());
  }
}

/**
 * Build a {@link Tokenizer} from a `tokenizer.json` (object or text) and an optional
 * `tokenizer_config.json` object. Special tokens the vocabulary lacks are added as
 * special added tokens after the largest id. `writer` implements `save` (null: saving
 * is refused, as in a browser).
 */
export function buildTokenizer(
  json: TokenizerJson | string | object,
  config: Record<string, unknown>,
  options: TokenizerSourceOptions,
  writer: TokenizerWriter | null,
): Tokenizer {
  const source = options.source ?? 'tokenizer JSON';
  const parsed = parseTokenizerJson(json, source);
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TokenizerFormatError(`${source}: the tokenizer config must be a JSON object (tokenizer_config.json)`);
  }
  const modelUnk = typeof parsed.model.unk_token === 'string' ? parsed.model.unk_token : null;
  const specials = resolveSpecialTokens(options.specialTokens, config, modelUnk);
  const full = withSpecialTokens(parsed, specials);
  const hfConfig: Record<string, unknown> = {
    clean_up_tokenization_spaces: false,
    ...config,
    pad_token: specials.pad,
    bos_token: specials.bos,
    eos_token: specials.eos,
    unk_token: specials.unk,
  };
  return new JsonTokenizer(full, hfConfig, source, writer);
}
