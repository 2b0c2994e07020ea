import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { describe, expect, it } from 'vitest';
import type { Tokenizer, TokenizerJson } from '../src/index.js';
import { tokenizerFromJson, trainBpeTokenizer, trainCharTokenizer, trainWordPieceTokenizer, trainWordTokenizer } from '../src/index.js';
import { sampleCorpus, TRICKY_TEXTS } from './fixtures.js';

const corpus = sampleCorpus();
const samples = [...TRICKY_TEXTS, ...corpus.slice(0, 40), 'unseenword qwzx ψψψ <s> inside </s> text'];

/** The tokenizer.json as a file would hold it, loaded by @huggingface/tokenizers directly. */
function reference(json: TokenizerJson, tokenizer: Tokenizer): HfTokenizer {
  const fromFile = JSON.parse(JSON.stringify(json));
  return new HfTokenizer(fromFile, tokenizer.toConfig());
}

function expectParity(json: TokenizerJson): Tokenizer {
  const tokenizer = tokenizerFromJson(JSON.stringify(json));
  const hf = reference(json, tokenizer);
  for (const text of samples) {
    const ids = tokenizer.encode(text);
    expect(ids, text).toEqual(hf.encode(text, { add_special_tokens: false }).ids);
    if (ids.length > 0) {
      expect(tokenizer.decode(ids), text).toBe(hf.decode(ids, { skip_special_tokens: true }));
      expect(tokenizer.decode(ids, { skipSpecialTokens: false })).toBe(hf.decode(ids, { skip_special_tokens: false }));
    }
  }
  return tokenizer;
}

const cases: [string, () => Promise<TokenizerJson>][] = [
  ['char', () => trainCharTokenizer(corpus)],
  ['char (NFKC + lowercase)', () => trainCharTokenizer(corpus, { nfkc: true, lowercase: true, minCount: 2 })],
  ['word', () => trainWordTokenizer(corpus, { maxVocabSize: 500, minFrequency: 2 })],
  ['byte-level BPE', () => trainBpeTokenizer(corpus, { vocabSize: 600 })],
  ['WordPiece', () => trainWordPieceTokenizer(corpus, { vocabSize: 700 })],
];

describe('trained tokenizers load unchanged in @huggingface/tokenizers', () => {
  for (const [name, train] of cases) {
    it(`${name}: identical ids and text through seqloom and @huggingface/tokenizers`, async () => {
      const json = await train();
      const tokenizer = expectParity(json);
      expect(tokenizer.padId).toBe(0);
      expect(tokenizer.bosId).toBe(1);
      expect(tokenizer.eosId).toBe(2);
      expect(tokenizer.unkId).toBe(3);
      expect(json.added_tokens.map((t) => [t.id, t.content, t.special])).toEqual([
        [0, '<pad>', true],
        [1, '<s>', true],
        [2, '</s>', true],
        [3, '<unk>', true],
      ]);
    });
  }
});

describe('round trips', () => {
  it('char: decode(encode(text)) restores text over the alphabet; unknown characters become unk', async () => {
    const tokenizer = tokenizerFromJson(await trainCharTokenizer(corpus));
    for (const text of corpus.slice(0, 50)) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    const ids = tokenizer.encode('a☃b');
    expect(ids[1]).toBe(tokenizer.unkId);
    expect(tokenizer.decode(ids, { skipSpecialTokens: false })).toBe('a<unk>b');
  });

  it('byte-level BPE: any text round-trips exactly and no id is ever unk', async () => {
    const tokenizer = tokenizerFromJson(await trainBpeTokenizer(corpus, { vocabSize: 400 }));
    for (const text of [...TRICKY_TEXTS, ...corpus.slice(0, 30)]) {
      const ids = tokenizer.encode(text);
      expect(ids).not.toContain(tokenizer.unkId);
      expect(tokenizer.decode(ids)).toBe(text);
    }
    expect(tokenizer.vocabSize).toBe(400);
  });

  it('byte-level BPE: merges shorten the encoding of training text', async () => {
    const tokenizer = tokenizerFromJson(await trainBpeTokenizer(corpus, { vocabSize: 1000 }));
    const text = corpus.slice(0, 20).join(' ');
    expect(tokenizer.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length / 2.5);
  });

  it('word: known words map to themselves, others to unk; decode joins words with spaces', async () => {
    const tokenizer = tokenizerFromJson(await trainWordTokenizer(['the cat sat.', 'the dog sat!']));
    const ids = tokenizer.encode('the cat ran.');
    expect(ids.map((id) => tokenizer.idToToken(id))).toEqual(['the', 'cat', '<unk>', '.']);
    expect(tokenizer.decode(ids)).toBe('the cat .');
    expect([4, 5].map((id) => tokenizer.idToToken(id))).toEqual(['sat', 'the']); // equal counts: code-unit order
  });

  it('WordPiece: words split into ## pieces and decode back to normalised text', async () => {
    const tokenizer = tokenizerFromJson(await trainWordPieceTokenizer(corpus, { vocabSize: 400 }));
    const ids = tokenizer.encode('Constitutional government');
    const tokens = ids.map((id) => tokenizer.idToToken(id) as string);
    expect(tokens.some((t) => t.startsWith('##'))).toBe(true);
    expect(tokenizer.decode(ids)).toBe('constitutional government');
  });

  it('word trainer keeps at most maxVocabSize tokens, most frequent first', async () => {
    const json = await trainWordTokenizer(['a a a b b c', 'a b d'], { maxVocabSize: 6 });
    expect(Object.keys(json.model.vocab)).toEqual(['<pad>', '<s>', '</s>', '<unk>', 'a', 'b']);
  });

  it('trainers stream async iterables and report progress', async () => {
    async function* lines(): AsyncGenerator<string> {
      for (const line of corpus.slice(0, 200)) yield line;
    }
    const phases = new Set<string>();
    const json = await trainBpeTokenizer(lines(), { vocabSize: 300, onProgress: (p) => phases.add(p.phase) });
    expect(Object.keys(json.model.vocab)).toHaveLength(300);
    expect([...phases].sort()).toEqual(['count', 'merge']);
  });

  it('custom special tokens come first and are recorded', async () => {
    const specialTokens = { pad: '[PAD]', bos: '[CLS]', eos: '[SEP]', unk: '[UNK]' };
    const json = await trainWordPieceTokenizer(corpus, { vocabSize: 300, specialTokens });
    const tokenizer = tokenizerFromJson(json, { pad_token: '[PAD]', bos_token: '[CLS]', eos_token: '[SEP]', unk_token: '[UNK]' });
    expect([tokenizer.padId, tokenizer.bosId, tokenizer.eosId, tokenizer.unkId]).toEqual([0, 1, 2, 3]);
    expect(tokenizer.vocabSize).toBe(300);
  });
});
