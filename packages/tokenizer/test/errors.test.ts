import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CorpusError,
  loadTokenizer,
  readCorpusLines,
  readWordVectors,
  TokenizerFormatError,
  TokenizerOptionError,
  tokenizerFromJson,
  trainBpeTokenizer,
  trainCharTokenizer,
  trainWordPieceTokenizer,
  trainWordTokenizer,
  Utf8Error,
  VectorsFormatError,
} from '../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'seqloom-errors-'));
async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('corpus and option errors', () => {
  it('rejects an empty corpus in every trainer', async () => {
    for (const train of [trainCharTokenizer, trainWordTokenizer, trainBpeTokenizer, trainWordPieceTokenizer]) {
      await expect(train([])).rejects.toThrow(CorpusError);
      await expect(train(['', '  \n'])).rejects.toThrow(/all are empty or whitespace/);
    }
  });

  it('rejects a corpus that is a string or yields non-strings, naming the item', async () => {
    await expect(trainCharTokenizer('abc' as unknown as string[])).rejects.toThrow(/single string/);
    await expect(trainCharTokenizer(['ok', 42 as unknown as string])).rejects.toThrow(/corpus item 1 is number/);
    await expect(trainCharTokenizer(null as unknown as string[])).rejects.toThrow(CorpusError);
  });

  it('streams a corpus file, and names the line of a corpus file that is not UTF-8', async () => {
    const good = await file('corpus.txt', 'one line\r\nsecond line\n\nlast');
    const lines: string[] = [];
    for await (const line of readCorpusLines(good)) lines.push(line);
    expect(lines).toEqual(['one line', 'second line', '', 'last']);
    const bad = await file('corpus-latin1.txt', Uint8Array.from([0x61, 0x0a, 0x62, 0x0a, 0x63, 0xe9, 0x0a]));
    await expect(trainCharTokenizer(readCorpusLines(bad))).rejects.toThrow(/corpus file .*corpus-latin1\.txt is not UTF-8 \(invalid bytes at line 3\)/);
  });

  it('rejects a vocabulary smaller than the alphabet plus the special tokens', async () => {
    await expect(trainBpeTokenizer(['hello'], { vocabSize: 100 })).rejects.toThrow(
      /vocabSize 100 is smaller than the byte alphabet \(256 symbols\) plus 4 special tokens; use vocabSize ≥ 260/,
    );
    await expect(trainWordPieceTokenizer(['abc abd'], { vocabSize: 6 })).rejects.toThrow(
      /alphabet of characters and ## continuations \(4 symbols\) plus 4 special tokens; use vocabSize ≥ 8/,
    );
  });

  it('rejects bad option values, naming the option', async () => {
    await expect(trainBpeTokenizer(['a'], { vocabSize: 300.5 })).rejects.toThrow(/vocabSize must be an integer/);
    await expect(trainWordTokenizer(['a'], { minFrequency: 0 })).rejects.toThrow(TokenizerOptionError);
    await expect(trainWordTokenizer(['a'], { pattern: '(' })).rejects.toThrow(/pattern "\(" is not a valid regular expression/);
    await expect(trainCharTokenizer(['a'], { specialTokens: { pad: '' } })).rejects.toThrow(/specialTokens.pad must be a non-empty string/);
    await expect(trainWordPieceTokenizer(['a'], { continuingSubwordPrefix: '' })).rejects.toThrow(
      /continuingSubwordPrefix must be a non-empty string without whitespace/,
    );
  });
});

describe('tokenizer file errors', () => {
  it('names the file and line of JSON that does not parse', async () => {
    const path = await file('broken.json', '{\n  "model": {\n    "type": "BPE",,\n}');
    await expect(loadTokenizer(path)).rejects.toThrow(TokenizerFormatError);
    await expect(loadTokenizer(path)).rejects.toThrow(/broken\.json is not valid JSON \(line 3/);
  });

  it('names the field of an unknown model type', () => {
    expect(() => tokenizerFromJson({ model: { type: 'Magic', vocab: {} } })).toThrow(
      /field "model.type" is "Magic", an unknown model type; expected one of BPE, WordPiece, WordLevel, Unigram/,
    );
    expect(() => tokenizerFromJson({ added_tokens: [] })).toThrow(/field "model" is missing/);
    expect(() => tokenizerFromJson({ model: { type: 'BPE', vocab: {} } })).toThrow(/"model.merges" is missing/);
    expect(() => tokenizerFromJson('[1, 2]')).toThrow(/must hold a JSON object/);
  });

  it('reports a tokenizer component @huggingface/tokenizers cannot build', () => {
    expect(() => tokenizerFromJson({ model: { type: 'WordLevel', vocab: { a: 0 } }, pre_tokenizer: { type: 'Nope' } })).toThrow(
      /cannot load it .*check the normalizer, pre_tokenizer, model and decoder types/,
    );
  });

  it('rejects a file that is not UTF-8, naming the line', async () => {
    const path = await file('latin1.json', Uint8Array.from([0x7b, 0x0a, 0x22, 0xe9, 0x22, 0x7d]));
    await expect(loadTokenizer(path)).rejects.toThrow(Utf8Error);
    await expect(loadTokenizer(path)).rejects.toThrow(/is not UTF-8: invalid byte 0xe9 at offset 3 \(line 2\)/);
  });

  it('names a missing file or a folder without tokenizer.json', async () => {
    await expect(loadTokenizer(join(dir, 'nope.json'))).rejects.toThrow(/does not exist/);
    await expect(loadTokenizer(dir)).rejects.toThrow(/has no tokenizer.json/);
  });
});

describe('vectors file errors', () => {
  it('names the line of a ragged row', async () => {
    const path = await file('ragged.txt', 'the 0.1 0.2 0.3\ncat 0.4 0.5\n');
    await expect(readWordVectors(path)).rejects.toThrow(VectorsFormatError);
    await expect(readWordVectors(path)).rejects.toThrow(/ragged\.txt line 2: row "cat" has 2 values; expected 3/);
  });

  it('names a value that is not a number, a header that disagrees, and a file that is not UTF-8', async () => {
    await expect(readWordVectors(await file('nan.txt', 'a 1 2\nb 1 x\n'))).rejects.toThrow(/line 2: value 2 of "b" is "x"/);
    await expect(readWordVectors(await file('header.vec', '3 2\na 1 2\nb 3 4\n'))).rejects.toThrow(/declares 3 vectors but the file holds 2 rows/);
    await expect(readWordVectors(await file('bad.txt', Uint8Array.from([0x61, 0x20, 0x31, 0x0a, 0xff, 0x20, 0x32, 0x0a])))).rejects.toThrow(Utf8Error);
    await expect(readWordVectors(await file('empty.txt', '\n'))).rejects.toThrow(/holds no vectors/);
  });
});
