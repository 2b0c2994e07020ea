import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('lm'));
});
afterAll(() => cleanup());

describe('language models from the command line', () => {
  it('trains on a text file (task inferred from .txt) and continues a --prime', async () => {
    const text = await writeLines(
      dir,
      'book.txt',
      Array.from({ length: 20 }, () => 'the whale swam on. the ship sailed on.'),
    );
    const out = join(dir, 'lm');
    const train = await seqloomInProcess(['train', '--data', text, '--out', out, ...TINY_MODEL, '--window', '16', '--max-steps', '3', '-q']);
    expect(train.code, train.stderr).toBe(0);
    const [info] = jsonLines((await seqloomInProcess(['inspect', out, '--json'])).stdout);
    expect(info.model).toMatchObject({ task: 'lm', attention: 'none' });
    const run = await seqloomInProcess(['generate', '-m', out, '--prime', 'the wh', '--max-length', '6', '--json', '-q']);
    expect(run.code, run.stderr).toBe(0);
    const [g] = jsonLines(run.stdout);
    expect(String(g.text).startsWith('the wh')).toBe(true);
    expect((g.ids as number[]).length).toBeLessThanOrEqual(6);
    const seq2seq = join(dir, 's2s');
    const pairs = await writeLines(dir, 'pairs.tsv', reversePairs(30));
    await seqloomInProcess(['train', '--data', pairs, '--out', seq2seq, ...TINY_MODEL, '--max-steps', '1', '-q']);
    const wrong = await seqloomInProcess(['generate', '-m', seq2seq, '--prime', 'abc']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--prime is for language models (task lm); this model is seq2seq: give source texts as inputs');
  });
});

describe('pretrained embeddings', () => {
  it('aligns word vectors to the vocabulary, takes their size, and refuses a different --embedding', async () => {
    const pairs = await writeLines(dir, 'words.tsv', ['the cat\tle chat', 'a cat\tun chat', 'the dog\tle chien', 'a dog\tun chien']);
    const vectors = await writeLines(dir, 'vectors.txt', ['3 4', 'the 0.1 0.2 0.3 0.4', 'cat 0.5 0.1 0.0 0.2', 'dog 0.3 0.3 0.1 0.9']);
    const out = join(dir, 'emb');
    const run = await seqloomInProcess([
      'train',
      '--data',
      pairs,
      '--valid',
      pairs,
      '--source-tokenizer',
      'word',
      '--target-tokenizer',
      'word',
      '--source-embeddings',
      vectors,
      '--freeze-embeddings',
      '--hidden',
      '8',
      '--max-steps',
      '1',
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/source embeddings: .*vectors\.txt, 4 dimensions, [\d.]+% of the vocabulary covered/);
    const [info] = jsonLines((await seqloomInProcess(['inspect', out, '--json'])).stdout);
    expect(info.model).toMatchObject({ embeddingSize: 4 });
    const noValid = await seqloomInProcess([
      'train',
      '--data',
      pairs,
      '--tokenizer',
      'word',
      '--hidden',
      '8',
      '--max-steps',
      '1',
      '--out',
      join(dir, 'no-valid'),
    ]);
    expect(noValid.code, noValid.stderr).toBe(0);
    expect(noValid.stderr).toContain('warning: no validation data (too few examples to hold some out); give --valid');
    const clash = await seqloomInProcess([
      'train',
      '--data',
      pairs,
      '--valid',
      pairs,
      '--tokenizer',
      'word',
      '--source-embeddings',
      vectors,
      '--embedding',
      '16',
      '--out',
      join(dir, 'emb2'),
    ]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("--embedding 16 does not match the pretrained vectors' 4 dimensions; drop --embedding or use 4");
  });
});
