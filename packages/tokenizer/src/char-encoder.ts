import { AddedTokenSplitter } from './added-token-splitter.js';
import type { TokenizerJson } from './tokenizer-json.js';
import { vocabularyOf } from './tokenizer-json.js';

/** The pre-tokenizer of character tokenizers: one piece per code point, newlines included. */
export const CHAR_PRE_TOKENIZER = {
  type: 'Split',
  pattern: { Regex: '[\\s\\S]' },
  behavior: 'Removed',
  invert: true,
} as const;

function isCharPreTokenizer(pre: TokenizerJson['pre_tokenizer']): boolean {
  if (pre === null || pre.type !== 'Split' || pre.invert !== true) return false;
  const pattern = pre.pattern as { Regex?: unknown } | undefined;
  return pattern?.Regex === CHAR_PRE_TOKENIZER.pattern.Regex && String(pre.behavior).toLowerCase() === 'removed';
}

/**
 * A fast encoder for character tokenizers (WordLevel model + the one-character Split
 * pre-tokenizer): a map lookup per code point after the tokenizer's own normaliser.
 * Gives exactly the ids of `@huggingface/tokenizers` (tests check this).
 */
export class CharEncoder {
  private constructor(
    private readonly vocab: Map<string, number>,
    private readonly unkId: number,
    private readonly normalize: ((text: string) => string) | null,
    private readonly splitter: AddedTokenSplitter,
  ) {}

  /** The encoder for `json`, or null when `json` is not a character tokenizer. */
  static tryCreate(json: TokenizerJson, unkId: number, normalize: ((text: string) => string) | null): CharEncoder | null {
    if (json.model.type !== 'WordLevel' || !isCharPreTokenizer(json.pre_tokenizer)) return null;
    if (!json.added_tokens.every((t) => !t.lstrip && !t.rstrip && (!t.normalized || normalize === null))) return null;
    return new CharEncoder(vocabularyOf(json), unkId, normalize, new AddedTokenSplitter(json.added_tokens));
  }

  /** Encode `text` to ids (no bos/eos), appending to `out`. */
  encode(text: string, out: number[] = []): number[] {
    return this.splitter.forEachSection(text, out, (section, into) => {
      const normalized = this.normalize === null ? section : this.normalize(section);
      for (const ch of normalized) into.push(this.vocab.get(ch) ?? this.unkId);
    });
  }
}
