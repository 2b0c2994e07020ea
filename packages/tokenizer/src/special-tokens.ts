import { TokenizerOptionError } from './errors.js';
import type { AddedTokenJson, TokenizerJson } from './tokenizer-json.js';
import { vocabularyOf, vocabularySize } from './tokenizer-json.js';

/** The special tokens seq2seq needs. `eos` is the stop token. */
export interface SpecialTokens {
  pad: string;
  bos: string;
  eos: string;
  unk: string;
}

/** Defaults; trained vocabularies put them first: pad=0, bos=1, eos=2, unk=3. */
export const DEFAULT_SPECIAL_TOKENS: Readonly<SpecialTokens> = Object.freeze({
  pad: '<pad>',
  bos: '<s>',
  eos: '</s>',
  unk: '<unk>',
});

const ROLES = ['pad', 'bos', 'eos', 'unk'] as const;

/** Read `pad_token`-style entries of a `tokenizer_config.json` (string or {content}). */
function fromConfig(config: Record<string, unknown> | undefined, role: string): string | undefined {
  const entry = config?.[`${role}_token`];
  if (typeof entry === 'string' && entry !== '') return entry;
  if (typeof entry === 'object' && entry !== null && typeof (entry as { content?: unknown }).content === 'string') {
    return (entry as { content: string }).content;
  }
  return undefined;
}

/**
 * Decide the special tokens: explicit `overrides`, then a `tokenizer_config.json`'s
 * `*_token` entries, then the model's own `unk_token`, then the defaults.
 */
export function resolveSpecialTokens(overrides?: Partial<SpecialTokens>, config?: Record<string, unknown>, modelUnk?: string | null): SpecialTokens {
  const out = { ...DEFAULT_SPECIAL_TOKENS };
  if (typeof modelUnk === 'string' && modelUnk !== '') out.unk = modelUnk;
  for (const role of ROLES) {
    const configured = fromConfig(config, role);
    if (configured !== undefined) out[role] = configured;
    const given = overrides?.[role];
    if (given !== undefined) {
      if (typeof given !== 'string' || given === '') {
        throw new TokenizerOptionError(`specialTokens.${role} must be a non-empty string, got ${JSON.stringify(given)}`);
      }
      out[role] = given;
    }
  }
  return out;
}

/** The distinct special token strings in id order: pad, bos, eos, unk. */
export function specialTokenList(specials: SpecialTokens): string[] {
  return [...new Set(ROLES.map((role) => specials[role]))];
}

/** An `added_tokens` entry for a special token. */
export function specialAddedToken(content: string, id: number): AddedTokenJson {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

/**
 * Return `json` with every special token registered as an added special token: one
 * already in the model vocabulary keeps its id; one missing is appended after the
 * largest id. `json` itself is not modified.
 */
export function withSpecialTokens(json: TokenizerJson, specials: SpecialTokens): TokenizerJson {
  const vocab = vocabularyOf(json);
  const registered = new Set(json.added_tokens.filter((t) => t.special).map((t) => t.content));
  const todo = specialTokenList(specials).filter((token) => !registered.has(token));
  if (todo.length === 0) return json;
  let next = vocabularySize(json);
  const kept = json.added_tokens.filter((t) => !todo.includes(t.content));
  const added = todo.map((token) => specialAddedToken(token, vocab.get(token) ?? next++));
  return { ...json, added_tokens: [...kept, ...added].sort((x, y) => x.id - y.id) };
}
