import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLevelBpeEncoder } from './byte-level-bpe-encoder.js';
import { DEFAULT_SPECIAL_TOKENS, withSpecialTokens } from './special-tokens.js';
import { trainBpeTokenizer } from './train-bpe.js';

describe('ByteLevelBpeEncoder', () => {
  it('gives the ids of @huggingface/tokenizers on arbitrary text, special tokens included', async () => {
    const corpus = ['the cat sat on the mat', 'thethe cats  sat   sat!!', 'über naïve 🎉🎉 ünïcödé', "it's we'll they've"];
    const json = withSpecialTokens(await trainBpeTokenizer(corpus, { vocabSize: 300, minFrequency: 1 }), DEFAULT_SPECIAL_TOKENS);
    const fast = ByteLevelBpeEncoder.tryCreate(json);
    expect(fast).not.toBeNull();
    const hf = new HfTokenizer(JSON.parse(JSON.stringify(json)), {});
    const piece = fc.oneof(
      fc.constantFrom('the', ' cat', 'sat', ' ', '  ', '\n', '<s>', '</s>', '<pad>', "'s", 'ü', '🎉', '!!', '1234'),
      fc.string({ unit: 'binary', maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(fast?.encode(text)).toEqual(hf.encode(text, { add_special_tokens: false }).ids);
      }),
      { numRuns: 200 },
    );
  });

  it('declines tokenizers it does not reproduce exactly', async () => {
    const json = await trainBpeTokenizer(['a b c'], { vocabSize: 260 });
    expect(ByteLevelBpeEncoder.tryCreate({ ...json, normalizer: { type: 'Lowercase' } })).toBeNull();
    expect(ByteLevelBpeEncoder.tryCreate({ ...json, pre_tokenizer: { type: 'Whitespace' } })).toBeNull();
    expect(ByteLevelBpeEncoder.tryCreate({ ...json, model: { ...json.model, dropout: 0.1 } })).toBeNull();
  });
});
