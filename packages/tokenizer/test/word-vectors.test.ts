import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alignVectors, readWordVectors, tokenizerFromJson, trainWordTokenizer, writeProjectorFiles } from '../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'seqloom-vectors-'));
const glove = join(dir, 'glove.txt');
const fasttext = join(dir, 'wiki.vec');
await writeFile(glove, 'the 1 2 3\ncat 4 5 6\nsat -1 0 1\nthe 9 9 9\n');
await writeFile(fasttext, '3 2 \nthe 0.5 -0.5 \ncat 1.5 2.5\ndog 3 4\n');
const tokenizer = tokenizerFromJson(await trainWordTokenizer(['The cat sat on the mat', 'the dog'], { lowercase: true }));

describe('readWordVectors', () => {
  it('reads GloVe / word2vec text (no header); the first of duplicate words wins', async () => {
    const vectors = await readWordVectors(glove);
    expect(vectors.words).toEqual(['the', 'cat', 'sat']);
    expect(vectors.dim).toBe(3);
    expect(Array.from(vectors.vectors)).toEqual([1, 2, 3, 4, 5, 6, -1, 0, 1]);
    expect(vectors.index.get('sat')).toBe(2);
  });

  it('reads fastText .vec with its header line, and maxWords stops early', async () => {
    const vectors = await readWordVectors(fasttext);
    expect(vectors.dim).toBe(2);
    expect(vectors.words).toEqual(['the', 'cat', 'dog']);
    expect(Array.from(vectors.vectors)).toEqual([0.5, -0.5, 1.5, 2.5, 3, 4]);
    expect((await readWordVectors(fasttext, { maxWords: 2 })).words).toEqual(['the', 'cat']);
  });
});

describe('alignVectors', () => {
  it('copies known vectors, zeroes pad, reports coverage and the missing tokens', async () => {
    const vectors = await readWordVectors(glove);
    const { matrix, dim, coverage, missing } = alignVectors(vectors, tokenizer, { seed: 1 });
    expect(dim).toBe(3);
    expect(matrix.length).toBe(tokenizer.vocabSize * 3);
    const row = (token: string) => Array.from(matrix.subarray((tokenizer.tokenToId(token) as number) * 3, (tokenizer.tokenToId(token) as number) * 3 + 3));
    expect(row('the')).toEqual([1, 2, 3]);
    expect(row('cat')).toEqual([4, 5, 6]);
    expect(row('<pad>')).toEqual([0, 0, 0]);
    expect(missing.sort()).toEqual(['dog', 'mat', 'on']);
    expect(coverage).toBeCloseTo(3 / 6);
  });

  it('initialises missing rows from a seeded distribution matched to the vectors', async () => {
    const rows = 4000;
    const lines = Array.from({ length: rows }, (_, i) => `w${i} ${10 + Math.sin(i) * 2} ${-5 + Math.cos(i * 1.3) * 0.5}`);
    const path = join(dir, 'many.txt');
    await writeFile(path, `${lines.join('\n')}\n`);
    const vectors = await readWordVectors(path);
    const words = Array.from({ length: 3000 }, (_, i) => `unseen${i}`);
    const big = tokenizerFromJson(await trainWordTokenizer([words.join(' ')]));
    const first = alignVectors(vectors, big, { seed: 7 });
    expect(first.coverage).toBe(0);
    expect(alignVectors(vectors, big, { seed: 7 }).matrix).toEqual(first.matrix);
    expect(alignVectors(vectors, big, { seed: 8 }).matrix).not.toEqual(first.matrix);
    const column = (data: Float32Array, d: number, n: number) => Array.from({ length: n }, (_, r) => data[r * 2 + d]);
    const stats = (xs: number[]) => {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      return [mean, Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length)];
    };
    const random = first.matrix.subarray(2 * 4 * 1); // skip the pad row and the other specials
    for (const d of [0, 1]) {
      const [loadedMean, loadedStd] = stats(column(vectors.vectors, d, rows));
      const [mean, std] = stats(column(random, d, big.vocabSize - 4));
      expect(Math.abs(mean - loadedMean)).toBeLessThan(0.1 * loadedStd + 0.05);
      expect(std / loadedStd).toBeGreaterThan(0.9);
      expect(std / loadedStd).toBeLessThan(1.1);
    }
  });
});

describe('writeProjectorFiles', () => {
  it('writes vectors.tsv and metadata.tsv with one row per token id', async () => {
    const { matrix, dim } = alignVectors(await readWordVectors(glove), tokenizer, { seed: 1 });
    const out = join(dir, 'projector');
    await writeProjectorFiles(out, tokenizer, matrix, dim);
    const vectorRows = (await readFile(join(out, 'vectors.tsv'), 'utf8')).trimEnd().split('\n');
    const labels = (await readFile(join(out, 'metadata.tsv'), 'utf8')).trimEnd().split('\n');
    expect(vectorRows).toHaveLength(tokenizer.vocabSize);
    expect(labels).toHaveLength(tokenizer.vocabSize);
    const the = tokenizer.tokenToId('the') as number;
    expect(labels[the]).toBe('the');
    expect(vectorRows[the]).toBe('1\t2\t3');
    await expect(writeProjectorFiles(out, tokenizer, matrix.subarray(1), dim)).rejects.toThrow(/expected vocabSize × dim/);
  });
});
