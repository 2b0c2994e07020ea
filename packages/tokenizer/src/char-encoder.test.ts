import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharEncoder } from './char-encoder.js';
import { tokenizerFromJson } from './tokenizer-from-json.js';
import { trainCharTokenizer } from './train-char.js';

describe('CharEncoder', () => {
  it('gives the ids of @huggingface/tokenizers on arbitrary text, with a normaliser and special tokens', async () => {
    const json = await trainCharTokenizer(['Hello, World!\nﬁne Ⅻ café', 'Straße 東京 🎉'], { nfkc: true, lowercase: true });
    const tokenizer = tokenizerFromJson(json);
    const hf = new HfTokenizer(JSON.parse(JSON.stringify(json)), tokenizer.toConfig());
    const piece = fc.oneof(
      fc.constantFrom('Hello', 'ﬁ', 'Ⅻ', 'É', 'ß', '🎉', '\n', ' ', '<s>', '</s>', '<unk>', '<pad>', '<s', 'x'),
      fc.string({ unit: 'grapheme', maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        expect(tokenizer.encode(text)).toEqual(hf.encode(text, { add_special_tokens: false }).ids);
      }),
      { numRuns: 200 },
    );
  });

  it('applies only to WordLevel models with the one-character Split pre-tokenizer', async () => {
    const json = await trainCharTokenizer(['abc']);
    expect(CharEncoder.tryCreate(json, 3, null)).not.toBeNull();
    expect(CharEncoder.tryCreate({ ...json, pre_tokenizer: { type: 'Whitespace' } }, 3, null)).toBeNull();
    expect(CharEncoder.tryCreate({ ...json, model: { ...json.model, type: 'WordPiece' } }, 3, null)).toBeNull();
  });
});
