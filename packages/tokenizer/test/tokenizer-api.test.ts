import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTokenizer, TokenizerOptionError, tokenizerFromJson, trainBpeTokenizer, trainCharTokenizer, trainWordPieceTokenizer } from '../src/index.js';
import { sampleCorpus } from './fixtures.js';

const corpus = sampleCorpus();
const char = tokenizerFromJson(await trainCharTokenizer(corpus));
const bpe = tokenizerFromJson(await trainBpeTokenizer(corpus, { vocabSize: 500 }));
const wordPiece = tokenizerFromJson(await trainWordPieceTokenizer(corpus, { vocabSize: 500 }));

describe('encode options and encodeBatch', () => {
  it('adds bos/eos only when asked', () => {
    const ids = char.encode('ab');
    expect(char.encode('ab', { addBos: true, addEos: true })).toEqual([char.bosId, ...ids, char.eosId]);
    expect(char.decode([char.bosId, ...ids, char.eosId])).toBe('ab');
    expect(char.decode([char.bosId, ...ids, char.eosId], { skipSpecialTokens: false })).toBe('<s>ab</s>');
  });

  it('pads to the longest row with pad ids, a mask and lengths, appending the stop token', () => {
    const batch = char.encodeBatch(['abc', 'a', ''], { addEos: true });
    const [a, b, c] = ['a', 'b', 'c'].map((ch) => char.tokenToId(ch) as number);
    const { padId: p, eosId: e } = char;
    expect(batch.batchSize).toBe(3);
    expect(batch.length).toBe(4);
    expect(Array.from(batch.ids)).toEqual([a, b, c, e, a, e, p, p, e, p, p, p]);
    expect(Array.from(batch.mask)).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0]);
    expect(Array.from(batch.lengths)).toEqual([4, 2, 1]);
  });

  it('truncates text tokens to maxLength but keeps bos and eos', () => {
    const batch = char.encodeBatch(['abcdef'], { addBos: true, addEos: true, maxLength: 4 });
    expect(Array.from(batch.ids)).toEqual([char.bosId, char.tokenToId('a'), char.tokenToId('b'), char.eosId]);
  });

  it('pads to a fixed length and truncates longer rows to it', () => {
    const batch = char.encodeBatch(['abcdef', 'ab'], { padTo: 3 });
    expect(batch.length).toBe(3);
    expect(Array.from(batch.lengths)).toEqual([3, 2]);
    expect(batch.ids.length).toBe(6);
  });

  it('rejects bad batch options with the option named', () => {
    expect(() => char.encodeBatch(['a'], { maxLength: 0 })).toThrow(/maxLength must be a positive integer/);
    expect(() => char.encodeBatch(['a'], { padTo: 2.5 })).toThrow(TokenizerOptionError);
    expect(() => char.encodeBatch(['a'], { padTo: 2, maxLength: 3 })).toThrow(/exceeds padTo/);
    expect(() => char.encodeBatch(['a'], { addBos: true, addEos: true, maxLength: 1 })).toThrow(/no room/);
    expect(() => char.encodeBatch([7 as unknown as string])).toThrow(/texts\[0\]/);
  });

  it('rejects ids outside the vocabulary when decoding', () => {
    expect(() => char.decode([char.vocabSize])).toThrow(/ids\[0\] = \d+ is not a token id/);
    expect(() => char.decode([1.5])).toThrow(/not a token id/);
    expect(char.decode([])).toBe('');
  });
});

describe('streaming detokenizer', () => {
  it('byte-level: never emits half a UTF-8 character, and the pieces join to the full decode', () => {
    const text = 'Köln 🎉👩‍👩‍👧 東京 done';
    const ids = bpe.encode(text, { addEos: true });
    const stream = bpe.createDetokenizer();
    const pieces = ids.map((id) => stream.push(id));
    pieces.push(stream.flush());
    for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
    expect(pieces.join('')).toBe(text);
    // Some token ends inside a multi-byte character, so some push must have held text back.
    expect(pieces.slice(0, -1).some((p) => p === '')).toBe(true);
  });

  it('WordPiece: emits a word only once the next word starts (never a fragment)', () => {
    const final = 'constitutional government works';
    const ids = wordPiece.encode(final);
    expect(ids.length).toBeGreaterThan(3); // some words are split into ## pieces
    const stream = wordPiece.createDetokenizer();
    let shown = '';
    for (const id of ids) {
      shown += stream.push(id);
      // Whatever is shown so far ends at a word boundary of the final text.
      expect(final.startsWith(shown)).toBe(true);
      expect(shown === '' || final[shown.length] === ' ').toBe(true);
    }
    expect(shown).toBe('constitutional government');
    expect(shown + stream.flush()).toBe(final);
  });

  it('for any text, the streamed pieces join to decode(ids) and never hold a broken character', () => {
    const text = fc
      .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.constantFrom(' ', 'the ', 'Köln', '🎉', '東京', '\n')), { maxLength: 10 })
      .map((parts) => parts.join(''))
      .filter((input) => !input.includes('\uFFFD')); // a literal U+FFFD would look like a broken character
    fc.assert(
      fc.property(text, (input) => {
        for (const tokenizer of [bpe, wordPiece, char]) {
          const ids = tokenizer.encode(input, { addEos: true });
          const stream = tokenizer.createDetokenizer();
          const pieces = ids.map((id) => stream.push(id));
          pieces.push(stream.flush());
          expect(pieces.join('')).toBe(tokenizer.decode(ids));
          if (tokenizer === bpe) for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('char: emits each character as it arrives and resets after flush', () => {
    const stream = char.createDetokenizer();
    expect(char.encode('hi').map((id) => stream.push(id))).toEqual(['h', 'i']);
    expect(stream.flush()).toBe('');
    expect(stream.push(char.tokenToId('a') as number)).toBe('a');
  });
});

describe('save and load', () => {
  it('saves atomically to a folder with tokenizer_config.json and loads back identically', async () => {
    const specialTokens = { pad: '[PAD]', bos: '[BOS]', eos: '[EOS]', unk: '[UNK]' };
    const json = await trainCharTokenizer(['hello world'], { specialTokens });
    const tokenizer = tokenizerFromJson(json, {}, { specialTokens });
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-save-'));
    await tokenizer.save(dir);
    expect((await readdir(dir)).sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    const loaded = await loadTokenizer(dir);
    expect(loaded.specialTokens).toEqual(specialTokens);
    expect(loaded.encode('hello', { addEos: true })).toEqual(tokenizer.encode('hello', { addEos: true }));
    expect(loaded.toJSON()).toEqual(tokenizer.toJSON());
  });

  it('reads tokenizer_config.json beside a file named tokenizer.json', async () => {
    const json = await trainCharTokenizer(['abc'], { specialTokens: { eos: '<end>' } });
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-sibling-'));
    await tokenizerFromJson(json, { eos_token: '<end>' }).save(`${dir}/`);
    const loaded = await loadTokenizer(join(dir, 'tokenizer.json'));
    expect(loaded.specialTokens.eos).toBe('<end>');
    expect(loaded.eosId).toBe(2);
  });

  it('saving to a file named tokenizer.json writes the special-token roles beside it', async () => {
    const specialTokens = { pad: '[PAD]', bos: '[BOS]', eos: '[EOS]', unk: '[UNK]' };
    const tokenizer = tokenizerFromJson(await trainCharTokenizer(['abc'], { specialTokens }), {}, { specialTokens });
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-file-roles-'));
    await tokenizer.save(join(dir, 'tokenizer.json'));
    expect((await readdir(dir)).sort()).toEqual(['tokenizer.json', 'tokenizer_config.json']);
    const loaded = await loadTokenizer(join(dir, 'tokenizer.json'));
    expect(loaded.specialTokens).toEqual(specialTokens);
    expect([loaded.padId, loaded.bosId, loaded.eosId, loaded.unkId, loaded.vocabSize]).toEqual([
      tokenizer.padId,
      tokenizer.bosId,
      tokenizer.eosId,
      tokenizer.unkId,
      tokenizer.vocabSize,
    ]);
  });

  it('records added special tokens in the saved file', async () => {
    const json = await trainCharTokenizer(['abc']);
    const tokenizer = tokenizerFromJson(json, {}, { specialTokens: { eos: '<eos>' } });
    expect(tokenizer.eosId).toBe(json.added_tokens.length + 3);
    const file = join(await mkdtemp(join(tmpdir(), 'seqloom-file-')), 'my-tokenizer.json');
    await tokenizer.save(file);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.added_tokens.at(-1)).toMatchObject({ content: '<eos>', id: tokenizer.eosId, special: true });
    const reloaded = await loadTokenizer(file, { specialTokens: { eos: '<eos>' } });
    expect(reloaded.eosId).toBe(tokenizer.eosId);
    expect(reloaded.vocabSize).toBe(tokenizer.vocabSize);
  });
});
