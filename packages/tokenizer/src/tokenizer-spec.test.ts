import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenizerOptionError } from './errors.js';
import { parseTokenizerSpec, tokenizerFromSpec } from './tokenizer-spec.js';

const corpus = () => ['the cat sat on the mat', 'the dog sat on the log', 'a cat and a dog'];
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('parseTokenizerSpec', () => {
  it('parses every form', () => {
    expect(parseTokenizerSpec('char')).toEqual({ kind: 'char' });
    expect(parseTokenizerSpec('word')).toEqual({ kind: 'word' });
    expect(parseTokenizerSpec('bpe:8000')).toEqual({ kind: 'bpe', vocabSize: 8000 });
    expect(parseTokenizerSpec('wordpiece:500')).toEqual({ kind: 'wordpiece', vocabSize: 500 });
    expect(parseTokenizerSpec('models/tokenizer.json')).toEqual({ kind: 'file', path: 'models/tokenizer.json' });
  });

  it('names the accepted forms for bad specs', () => {
    expect(() => parseTokenizerSpec('sentencepiece')).toThrow(TokenizerOptionError);
    expect(() => parseTokenizerSpec('sentencepiece')).toThrow(/expected "char", "word", "bpe:<vocab size>"/);
    expect(() => parseTokenizerSpec('bpe:lots')).toThrow(/must be an integer ≥ 8, e.g. bpe:8000/);
    expect(() => parseTokenizerSpec('')).toThrow(/tokenizer must be/);
  });
});

describe('tokenizerFromSpec', () => {
  it('trains each kind on the corpus and round-trips text', async () => {
    for (const spec of ['char', 'word', 'bpe:300', 'wordpiece:60']) {
      const tok = await tokenizerFromSpec(spec, corpus);
      const ids = tok.encode('the cat sat');
      expect(ids.length).toBeGreaterThan(0);
      expect(tok.decode(ids)).toBe('the cat sat');
      expect(tok.eosId).not.toBe(tok.padId);
    }
    const char = await tokenizerFromSpec('char', corpus);
    expect(char.decode(char.encode('the cat sat'))).toBe('the cat sat');
  });

  it('loads a saved tokenizer by path without reading the corpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-spec-'));
    dirs.push(dir);
    const trained = await tokenizerFromSpec('word', corpus);
    await trained.save(join(dir, 'tokenizer.json'));
    let read = false;
    const loaded = await tokenizerFromSpec(join(dir, 'tokenizer.json'), () => {
      read = true;
      return corpus();
    });
    expect(read).toBe(false);
    expect(loaded.encode('the dog')).toEqual(trained.encode('the dog'));
  });
});
