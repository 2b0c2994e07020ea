import { describe, expect, it } from 'vitest';
import { DEFAULT_SPECIAL_TOKENS, resolveSpecialTokens, withSpecialTokens } from './special-tokens.js';
import type { TokenizerJson } from './tokenizer-json.js';

const base: TokenizerJson = {
  version: '1.0',
  truncation: null,
  padding: null,
  normalizer: null,
  pre_tokenizer: null,
  post_processor: null,
  decoder: null,
  added_tokens: [{ id: 5, content: '[X]', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  model: { type: 'WordLevel', vocab: { '<s>': 0, a: 1, b: 2, '[UNK]': 3 }, unk_token: '[UNK]' },
};

describe('resolveSpecialTokens', () => {
  it('takes options over tokenizer_config.json over the model unk_token over the defaults', () => {
    expect(resolveSpecialTokens()).toEqual(DEFAULT_SPECIAL_TOKENS);
    expect(resolveSpecialTokens(undefined, undefined, '[UNK]').unk).toBe('[UNK]');
    const config = { eos_token: { content: '<|end|>', special: true }, unk_token: '<u>', pad_token: null };
    expect(resolveSpecialTokens({ unk: '<opt>' }, config, '[UNK]')).toEqual({ pad: '<pad>', bos: '<s>', eos: '<|end|>', unk: '<opt>' });
  });
});

describe('withSpecialTokens', () => {
  it('registers specials already in the vocabulary at their ids and appends the missing ones after the largest id', () => {
    const json = withSpecialTokens(base, { pad: '<pad>', bos: '<s>', eos: '</s>', unk: '[UNK]' });
    expect(json.added_tokens.map((t) => [t.id, t.content, t.special])).toEqual([
      [0, '<s>', true],
      [3, '[UNK]', true],
      [5, '[X]', true],
      [6, '<pad>', true],
      [7, '</s>', true],
    ]);
    expect(base.added_tokens).toHaveLength(1); // the input is not modified
  });

  it('adds one entry when several roles share a token', () => {
    const json = withSpecialTokens(base, { pad: '<|e|>', bos: '<|e|>', eos: '<|e|>', unk: '<|e|>' });
    expect(json.added_tokens.map((t) => [t.id, t.content])).toEqual([
      [5, '[X]'],
      [6, '<|e|>'],
    ]);
  });
});
