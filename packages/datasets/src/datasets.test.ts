import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, isBuiltinDataset, loadBuiltinDataset } from './builtin-datasets.js';
import { loadCmudict, loadCmudictSubset, pronunciationPairs } from './cmudict.js';
import { contiguousSplit, loadMobyDick } from './moby-dick.js';
import { hashUnit, splitOf } from './stable-split.js';

describe('stable split', () => {
  it('is deterministic, seed-dependent and close to the requested fractions', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `w${i}`);
    const counts = { train: 0, valid: 0, test: 0 };
    for (const k of keys) counts[splitOf(k, 7, { valid: 0.1, test: 0.2 })]++;
    expect(counts.test / keys.length).toBeGreaterThan(0.18);
    expect(counts.test / keys.length).toBeLessThan(0.22);
    expect(counts.valid / keys.length).toBeGreaterThan(0.08);
    expect(counts.valid / keys.length).toBeLessThan(0.12);
    expect(splitOf('hello', 7, { valid: 0.1, test: 0.2 })).toBe(splitOf('hello', 7, { valid: 0.1, test: 0.2 }));
    const differs = keys.slice(0, 200).some((k) => hashUnit(`1:${k}`) !== hashUnit(`2:${k}`));
    expect(differs).toBe(true);
  });
});

describe('cmudict', () => {
  const splits = loadCmudict();

  it('splits words disjointly about 90/5/5 and keeps every pronunciation of a word together', () => {
    const total = splits.train.length + splits.valid.length + splits.test.length;
    expect(total).toBeGreaterThan(110_000);
    expect(splits.test.length / total).toBeGreaterThan(0.04);
    expect(splits.test.length / total).toBeLessThan(0.06);
    const train = new Set(splits.train.map((e) => e.word));
    expect(splits.test.some((e) => train.has(e.word))).toBe(false);
    expect(splits.valid.some((e) => train.has(e.word))).toBe(false);
  });

  it('merges variants as references and strips stress unless asked', () => {
    const all = [...splits.train, ...splits.valid, ...splits.test];
    const read = all.find((e) => e.word === 'read');
    expect(read?.pronunciations).toEqual(['R EH D', 'R IY D']);
    expect(all.every((e) => /^[a-z][a-z']*$/.test(e.word))).toBe(true);
    const stressed = loadCmudict({ stress: true });
    const readStressed = [...stressed.train, ...stressed.valid, ...stressed.test].find((e) => e.word === 'read');
    expect(readStressed?.pronunciations).toEqual(['R EH1 D', 'R IY1 D']);
    expect(pronunciationPairs([read!])).toEqual([
      { source: 'read', target: 'R EH D' },
      { source: 'read', target: 'R IY D' },
    ]);
  });

  it('gives the same split on every call and a different one with another seed', () => {
    expect(loadCmudict().test.slice(0, 50)).toEqual(splits.test.slice(0, 50));
    expect(loadCmudict({ splitSeed: 1 }).test.slice(0, 50)).not.toEqual(splits.test.slice(0, 50));
  });

  it('gives a fixed subset spread over the alphabet', () => {
    const subset = loadCmudictSubset({ train: 2000, valid: 50, test: 60 });
    expect([subset.train.length, subset.valid.length, subset.test.length]).toEqual([2000, 50, 60]);
    expect(loadCmudictSubset({ train: 2000, valid: 50, test: 60 }).train).toEqual(subset.train);
    const initials = new Set(subset.train.map((e) => e.word[0]));
    expect(initials.size).toBeGreaterThan(20);
    const train = new Set(splits.train.map((e) => e.word));
    expect(subset.train.every((e) => train.has(e.word))).toBe(true);
  });

  it('gives the g2p-seq2seq split by dictionary order: every 20th word valid, the next two test', () => {
    const g2p = loadCmudict({ split: 'g2p-seq2seq' });
    const count = (entries: typeof g2p.train) => [entries.length, entries.reduce((n, e) => n + e.pronunciations.length, 0)];
    // Sizes in words and pronunciation pairs, as documented in the README.
    expect(count(g2p.train)).toEqual([105_292, 112_469]);
    expect(count(g2p.valid)).toEqual([6_194, 6_609]);
    expect(count(g2p.test)).toEqual([12_388, 13_193]);
    // Interleave the parts back by index: it must be the dictionary order of the hashed split's words.
    const ordered: string[] = [];
    const cursors = { train: 0, valid: 0, test: 0 };
    for (let i = 0; i < g2p.train.length + g2p.valid.length + g2p.test.length; i++) {
      const part = i % 20 === 0 ? 'valid' : i % 20 <= 2 ? 'test' : 'train';
      ordered.push(g2p[part][cursors[part]++].word);
    }
    const all = [...splits.train, ...splits.valid, ...splits.test].map((e) => e.word);
    expect(new Set(ordered)).toEqual(new Set(all));
    expect(ordered.slice(0, 4)).toEqual(['a', "a's", 'aa', 'aaa']);
    expect(g2p.valid[0]).toEqual({ word: 'a', pronunciations: ['AH', 'EY'] });
    const read = [...g2p.train, ...g2p.valid, ...g2p.test].find((e) => e.word === 'read');
    expect(read).toEqual({ word: 'read', pronunciations: ['R EH D', 'R IY D'] });
  });

  it('rejects an unknown split rule and hashed-only options with g2p-seq2seq', () => {
    expect(() => loadCmudict({ split: 'random' as never })).toThrow(/unknown split "random"; expected one of hashed, g2p-seq2seq/);
    expect(() => loadCmudict({ split: 'g2p-seq2seq', splitSeed: 3 })).toThrow(/splitSeed applies to the hashed split only/);
  });

  it('rejects bad fractions', () => {
    expect(() => loadCmudict({ testFraction: 1.5 })).toThrow(/testFraction must be a number in \[0, 1\)/);
    expect(() => loadCmudict({ testFraction: 0.6, validFraction: 0.5 })).toThrow(/leave some words for training/);
  });
});

describe('built-in datasets', () => {
  it('loads moby-dick as about 1.2 M characters split by chapter', () => {
    const book = loadMobyDick();
    expect(book.length).toBeGreaterThan(1_100_000);
    expect(book).toContain('Call me Ishmael.');
    const ds = loadBuiltinDataset('moby-dick');
    expect(ds.task).toBe('lm');
    if (ds.task !== 'lm') return;
    const sum = ds.splits.train.length + ds.splits.valid.length + ds.splits.test.length;
    expect(sum).toBeGreaterThan(1_100_000);
    expect(ds.splits.valid.length).toBeGreaterThan(10_000);
    expect(ds.splits.test.length).toBeGreaterThan(10_000);
  });

  it('splits moby-dick:90-10 contiguously: 90 % of the book, then the rest, cut at a line start', () => {
    const book = loadMobyDick();
    const ds = loadBuiltinDataset('moby-dick:90-10');
    if (ds.task !== 'lm') throw new Error('expected an lm dataset');
    expect(ds.splits.train + ds.splits.valid).toBe(book);
    expect(ds.splits.train.length / book.length).toBeCloseTo(0.9, 3);
    expect(ds.splits.train.endsWith('\n')).toBe(true);
    expect(ds.splits.test).toBe(ds.splits.valid);
    expect(contiguousSplit('ab\ncd\nef', 0.5)).toEqual({ train: 'ab\ncd\n', valid: 'ef' });
    expect(contiguousSplit('abcdef', 0.5)).toEqual({ train: 'abcdef', valid: '' });
  });

  it('knows its names and names the valid ones for an unknown name', () => {
    expect(BUILTIN_DATASETS.map((d) => d.name)).toEqual(['cmudict', 'cmudict:g2p-seq2seq', 'moby-dick', 'moby-dick:90-10']);
    expect(isBuiltinDataset('cmudict')).toBe(true);
    expect(isBuiltinDataset('cmudict:g2p-seq2seq')).toBe(true);
    expect(isBuiltinDataset('data/train.tsv')).toBe(false);
    expect(() => loadBuiltinDataset('wikitext')).toThrow(
      /unknown built-in dataset "wikitext"; built-in names are: cmudict, cmudict:g2p-seq2seq, moby-dick, moby-dick:90-10/,
    );
    const cmu = loadBuiltinDataset('cmudict');
    expect(cmu.task).toBe('seq2seq');
    const g2p = loadBuiltinDataset('cmudict:g2p-seq2seq');
    if (g2p.task !== 'seq2seq') throw new Error('expected pairs');
    expect([g2p.splits.train.length, g2p.splits.valid.length, g2p.splits.test.length]).toEqual([105_292, 6_194, 12_388]);
    expect(g2p.splits.valid[0]).toEqual({ source: 'a', targets: ['AH', 'EY'] });
    expect(g2p.defaultTokenizers).toEqual({ source: 'char', target: 'word' });
  });
});
