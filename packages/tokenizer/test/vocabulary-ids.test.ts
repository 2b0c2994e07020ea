import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, TokenizerFormatError, tokenizerFromJson } from '../src/index.js';

const wordLevel = (vocab: Record<string, number>, added: object[] = []) => ({
  version: '1.0',
  model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  added_tokens: added,
  pre_tokenizer: { type: 'WhitespaceSplit' },
});

describe('a vocabulary that gives one id to two tokens', () => {
  it('is refused when a tokenizer is built, naming the id, the token decoding gives and the other', () => {
    const build = () => tokenizerFromJson(wordLevel({ '<unk>': 0, cat: 5, dog: 5, bird: 6 }));
    expect(build).toThrow(TokenizerFormatError);
    expect(build).toThrow(
      'tokenizer JSON: field "model.vocab" gives the id 5 to both "dog" and "cat"; ' +
        'each id must name one token (decoding would give only one of them); fix the file',
    );
  });

  it('is refused by loadTokenizer, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-vocab-'));
    try {
      const file = join(dir, 'tokenizer.json');
      await writeFile(file, JSON.stringify(wordLevel({ '<unk>': 0, a: 1, b: 1 })));
      await expect(loadTokenizer(file)).rejects.toThrow(`${file}: field "model.vocab" gives the id 1 to both "b" and "a"`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves distinct ids, an added token repeating its entry, and a Unigram list alone', () => {
    expect(tokenizerFromJson(wordLevel({ '<unk>': 0, cat: 1 }, [{ id: 0, content: '<unk>', special: true }])).tokenToId('cat')).toBe(1);
    const unigram = {
      version: '1.0',
      model: {
        type: 'Unigram',
        unk_id: 0,
        vocab: [
          ['<unk>', 0],
          ['a', -1],
          ['a', -2],
        ],
      },
      added_tokens: [],
    };
    expect(() => tokenizerFromJson(unigram)).not.toThrow(TokenizerFormatError);
  });
});
