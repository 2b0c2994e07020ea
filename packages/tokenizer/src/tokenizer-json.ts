import { TokenizerFormatError } from './errors.js';
import { describeJsonSyntaxError } from './json-syntax-error.js';
import { findPatternHazard } from './pattern-safety.js';
import { checkVocabularyIds } from './vocabulary-ids.js';

/** One entry of `added_tokens` in a Hugging Face `tokenizer.json`. */
export interface AddedTokenJson {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A component (normalizer, pre-tokenizer, model, decoder, post-processor) config. */
export type ComponentJson = { type?: string } & Record<string, unknown>;

/** The `model` section of a `tokenizer.json`. */
export interface ModelJson extends ComponentJson {
  vocab: Record<string, number> | [string, number][];
  merges?: string[] | [string, string][];
  unk_token?: string | null;
}

/** A Hugging Face `tokenizer.json`, as written by the Rust/Python `tokenizers` library. */
export interface TokenizerJson {
  version: string;
  truncation: unknown;
  padding: unknown;
  added_tokens: AddedTokenJson[];
  normalizer: ComponentJson | null;
  pre_tokenizer: ComponentJson | null;
  post_processor: ComponentJson | null;
  decoder: ComponentJson | null;
  model: ModelJson;
}

/** Model types a `tokenizer.json` may declare. */
export const MODEL_TYPES = ['BPE', 'WordPiece', 'WordLevel', 'Unigram'] as const;

/** Parse JSON text, naming `source` and the line of a syntax error. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TokenizerFormatError(`${source} is not valid JSON (${describeJsonSyntaxError(text, error)})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkModel(model: unknown, source: string): asserts model is ModelJson {
  if (!isObject(model)) {
    throw new TokenizerFormatError(
      `${source}: field "model" is missing or not an object; expected {"type": "BPE" | "WordPiece" | "WordLevel" | "Unigram", "vocab": ...}`,
    );
  }
  const type = model.type;
  if (type !== undefined && !(MODEL_TYPES as readonly unknown[]).includes(type)) {
    throw new TokenizerFormatError(
      `${source}: field "model.type" is ${JSON.stringify(type)}, an unknown model type; expected one of ${MODEL_TYPES.join(', ')}`,
    );
  }
  if (!isObject(model.vocab) && !Array.isArray(model.vocab)) {
    throw new TokenizerFormatError(`${source}: field "model.vocab" is missing; expected an object of token → id (or a [token, score] list for Unigram)`);
  }
  if (type === 'BPE' && !Array.isArray(model.merges)) {
    throw new TokenizerFormatError(`${source}: field "model.merges" is missing; a BPE model needs its merges list`);
  }
  checkVocabEntries(model.vocab, source);
}

/** Every vocabulary entry is token → non-negative integer id, or (Unigram) a [token, score] pair. */
function checkVocabEntries(vocab: unknown, source: string): void {
  if (Array.isArray(vocab)) {
    const bad = vocab.findIndex((e) => !Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number');
    if (bad >= 0) {
      throw new TokenizerFormatError(
        `${source}: field "model.vocab[${bad}]" is ${String(JSON.stringify(vocab[bad])).slice(0, 80)}; expected a [token, score] pair`,
      );
    }
    return;
  }
  for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
    if (!Number.isSafeInteger(id) || (id as number) < 0) {
      throw new TokenizerFormatError(
        `${source}: field "model.vocab" gives token ${JSON.stringify(token).slice(0, 80)} the id ${String(JSON.stringify(id)).slice(0, 80)}; expected a non-negative integer`,
      );
    }
  }
  checkVocabularyIds(vocab as Record<string, number>, source);
}

function checkAddedTokens(added: unknown, source: string): AddedTokenJson[] {
  if (added === undefined || added === null) return [];
  if (!Array.isArray(added)) {
    throw new TokenizerFormatError(`${source}: field "added_tokens" must be a list of {id, content, special, ...}`);
  }
  return added.map((token, i) => {
    if (!isObject(token) || typeof token.content !== 'string' || !Number.isInteger(token.id)) {
      throw new TokenizerFormatError(`${source}: field "added_tokens[${i}]" needs an integer "id" and a string "content"`);
    }
    return {
      id: token.id as number,
      content: token.content,
      single_word: token.single_word === true,
      lstrip: token.lstrip === true,
      rstrip: token.rstrip === true,
      normalized: token.normalized === true,
      special: token.special === true,
    };
  });
}

/**
 * Checks every `pattern` of a component (Split, Replace, … and those nested in
 * Sequence) is `{"String": …}` or a `{"Regex": …}` that is safe to run (see
 * pattern-safety.ts), so a bad pattern is an error naming its field rather than
 * silently ignored or a hang on some text.
 */
function checkPatterns(node: unknown, path: string, source: string, depth = 0): void {
  if (depth > 32 || typeof node !== 'object' || node === null) return;
  for (const [key, child] of Object.entries(node)) {
    const where = Array.isArray(node) ? `${path}[${key}]` : `${path}.${key}`;
    if (key === 'pattern' && !Array.isArray(node)) checkPattern(child, where, source);
    else checkPatterns(child, where, source, depth + 1);
  }
}

function checkPattern(pattern: unknown, where: string, source: string): void {
  const fail = (why: string) => new TokenizerFormatError(`${source}: field "${where}" ${why}; expected {"String": "<text>"} or {"Regex": "<expression>"}`);
  if (!isObject(pattern)) throw fail(`is ${String(JSON.stringify(pattern)).slice(0, 80)}`);
  if (typeof pattern.String === 'string') return;
  // The expression itself is Oniguruma's dialect, translated when the tokenizer is built.
  if (typeof pattern.Regex !== 'string') throw fail(`is ${JSON.stringify(pattern).slice(0, 80)}`);
  const hazard = findPatternHazard(pattern.Regex);
  if (hazard) {
    const shown = pattern.Regex.length > 200 ? `${pattern.Regex.slice(0, 199)}…` : pattern.Regex;
    throw new TokenizerFormatError(
      `${source}: field "${where}.Regex" is the regular expression ${JSON.stringify(shown)}, which seqloom refuses: ${hazard.reason}. ` +
        `Tokenizer patterns run on JavaScript's backtracking engine, where such a pattern can hang on some texts; ${hazard.fix}`,
    );
  }
}

/**
 * Validate a parsed or textual `tokenizer.json` and return it with every top-level
 * field present. `source` names the file (or "tokenizer JSON") in error messages.
 */
export function parseTokenizerJson(input: unknown, source = 'tokenizer JSON'): TokenizerJson {
  const value = typeof input === 'string' ? parseJsonText(input, source) : input;
  if (!isObject(value)) {
    throw new TokenizerFormatError(`${source} must hold a JSON object with a "model" field (a Hugging Face tokenizer.json)`);
  }
  checkModel(value.model, source);
  const component = (name: string): ComponentJson | null => {
    const part = value[name];
    if (part === undefined || part === null) return null;
    if (!isObject(part)) throw new TokenizerFormatError(`${source}: field "${name}" must be an object or null`);
    checkPatterns(part, name, source);
    return part as ComponentJson;
  };
  return {
    ...value,
    version: typeof value.version === 'string' ? value.version : '1.0',
    truncation: value.truncation ?? null,
    padding: value.padding ?? null,
    added_tokens: checkAddedTokens(value.added_tokens, source),
    normalizer: component('normalizer'),
    pre_tokenizer: component('pre_tokenizer'),
    post_processor: component('post_processor'),
    decoder: component('decoder'),
    model: value.model,
  };
}

/** token → id over the model vocabulary and the added tokens. */
export function vocabularyOf(json: TokenizerJson): Map<string, number> {
  const map = new Map<string, number>();
  const vocab = json.model.vocab;
  if (Array.isArray(vocab)) vocab.forEach(([token], id) => map.set(token, id));
  else for (const token of Object.keys(vocab)) map.set(token, vocab[token]);
  for (const added of json.added_tokens) map.set(added.content, added.id);
  return map;
}

/** Number of ids: the largest id in the vocabulary or added tokens, plus one. */
export function vocabularySize(json: TokenizerJson): number {
  let max = -1;
  for (const id of vocabularyOf(json).values()) if (id > max) max = id;
  return max + 1;
}
