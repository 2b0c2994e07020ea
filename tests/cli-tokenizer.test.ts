import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloom, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let corpus: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('tok'));
  const text = ['the quick brown fox jumps over the lazy dog', 'a lazy dog sleeps', 'quick quick fox', 'über naïve café'];
  corpus = await writeLines(
    dir,
    'corpus.txt',
    Array.from({ length: 20 }, (_, i) => text[i % text.length]),
  );
});
afterAll(() => cleanup());

describe('seqloom tokenizer', () => {
  it('train → encode → decode round-trips through the real binary and pipes', async () => {
    const file = join(dir, 'bpe.json');
    const trained = await seqloom(['tokenizer', 'train', corpus, '--type', 'bpe', '--vocab-size', '300', '--out', file, '-q']);
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/wrote .*bpe\.json: BPE tokenizer, \d+ tokens/);
    const encoded = await seqloom(['tokenizer', 'encode', '-t', file], { stdin: 'the lazy café\nquick fox\n' });
    expect(encoded.code).toBe(0);
    const lines = encoded.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^\d+( \d+)*$/);
    const decoded = await seqloom(['tokenizer', 'decode', '-t', file], { stdin: encoded.stdout });
    expect(decoded.stdout).toBe('the lazy café\nquick fox\n');
  });

  for (const type of ['char', 'word', 'wordpiece']) {
    it(`trains a ${type} tokenizer and encodes with --json and --tokens`, async () => {
      const file = join(dir, `${type}.json`);
      const train = await seqloomInProcess(['tokenizer', 'train', corpus, '--type', type, '--vocab-size', '60', '--out', file]);
      expect(train.code).toBe(0);
      expect(existsSync(file)).toBe(true);
      const json = await seqloomInProcess(['tokenizer', 'encode', '-t', file, '--json', 'lazy dog']);
      const [row] = jsonLines(json.stdout);
      expect(row.text).toBe('lazy dog');
      expect((row.ids as number[]).length).toBe((row.tokens as string[]).length);
      const back = await seqloomInProcess(['tokenizer', 'decode', '-t', file, ...(row.ids as number[]).map(String)]);
      expect(back.stdout.trim()).toBe('lazy dog');
    });
  }

  it('inspect reports model, size and special tokens', async () => {
    const file = join(dir, 'char-inspect.json');
    await seqloomInProcess(['tokenizer', 'train', corpus, '--type', 'char', '--out', file]);
    const text = await seqloomInProcess(['tokenizer', 'inspect', file]);
    expect(text.stdout).toMatch(/model: +WordLevel/);
    expect(text.stdout).toMatch(/special tokens: pad <pad>=0, bos <s>=1, eos <\/s>=2, unk <unk>=3/);
    const [info] = jsonLines((await seqloomInProcess(['tokenizer', 'inspect', file, '--json'])).stdout);
    expect(info.specialTokens).toMatchObject({ eos: { token: '</s>', id: 2 } });
  });

  it('refuses a corpus file that is not UTF-8, naming the file and line', async () => {
    const file = join(dir, 'latin1.txt');
    await writeFile(file, Buffer.from([0x61, 0x62, 0x0a, 0x63, 0xff, 0x64, 0x0a]));
    const result = await seqloomInProcess(['tokenizer', 'train', file, '--type', 'char', '--out', join(dir, 'latin1.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/latin1\.txt.*line 2.*UTF-8/i);
    expect(existsSync(join(dir, 'latin1.json'))).toBe(false);
  });

  it('rejects ids outside the vocabulary and existing output files', async () => {
    const file = join(dir, 'word-x.json');
    await seqloomInProcess(['tokenizer', 'train', corpus, '--type', 'word', '--out', file]);
    const bad = await seqloomInProcess(['tokenizer', 'decode', '-t', file, '1', '99999']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^seqloom: "99999" in "1 99999" is not a token id; expected integers from 0 to \d+/);
    const again = await seqloomInProcess(['tokenizer', 'train', corpus, '--out', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; choose another path or pass --overwrite/);
    // tokenizer.json comes with a tokenizer_config.json, which is not overwritten either
    const folder = join(dir, 'with-config');
    await seqloomInProcess(['tokenizer', 'train', corpus, '--type', 'char', '--out', join(folder, 'tokenizer.json')]);
    expect(existsSync(join(folder, 'tokenizer_config.json'))).toBe(true);
    await rm(join(folder, 'tokenizer.json'));
    const config = await seqloomInProcess(['tokenizer', 'train', corpus, '--type', 'char', '--out', join(folder, 'tokenizer.json')]);
    expect(config.code).toBe(1);
    expect(config.stderr).toContain(`--out ${join(folder, 'tokenizer_config.json')} already exists`);
  });
});
