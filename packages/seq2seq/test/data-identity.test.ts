import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fnv1a } from '@seqloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dataFingerprint,
  encodePairs,
  epochBatches,
  exampleList,
  lmWindows,
  makeBatch,
  PairStoreBuilder,
  planEpoch,
  readPairs,
  splitTrainValid,
  storeOf,
  WindowStore,
} from '../src/data/index.js';
import { prepareTrainingData } from '../src/index.js';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/data-identity.json', import.meta.url), 'utf8')) as {
  results: Record<string, { train: string; valid: string; stats: unknown; plans: string[]; first: unknown; vocab: number[] }>;
};

/** The corpus the fixture was recorded on: 400 lines of 2–8 letters → reversed, some with a second target. */
function corpus(): string {
  let s = 1234567;
  const next = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    let w = '';
    const len = 2 + next(7);
    for (let j = 0; j < len; j++) w += 'abcdefghij'[next(10)];
    const t = [...w].reverse().join('');
    lines.push(next(5) === 0 ? `${w}\t${t}\t${t}x` : `${w}\t${t}`);
  }
  return `${lines.join('\n')}\n`;
}

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-identity-'));
  file = join(dir, 'c.tsv');
  await writeFile(file, corpus());
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const CASES = { char: {}, 'word-target': { targetTokenizer: 'word' }, 'seed9-frac0.2': { seed: 9, validFraction: 0.2 } } as const;

describe('typed-array training data', () => {
  for (const [name, options] of Object.entries(CASES)) {
    it(`gives the examples, split and batches recorded before typed arrays (${name})`, async () => {
      const data = await prepareTrainingData({ data: file, ...options });
      const expected = recorded.results[name];
      expect(dataFingerprint(data.train)).toBe(expected.train);
      expect(dataFingerprint(data.valid)).toBe(expected.valid);
      expect(data.stats).toEqual(expected.stats);
      expect([data.sourceTokenizer.vocabSize, data.targetTokenizer.vocabSize]).toEqual(expected.vocab);
      expect(data.train.slice(0, 3)).toEqual(expected.first);
      const plans = [0, 1].map((epoch) =>
        fnv1a(JSON.stringify(planEpoch(data.train, epoch, { batchSize: 8, seed: 42 })))
          .toString(16)
          .padStart(8, '0'),
      );
      expect(plans).toEqual(expected.plans);
    });
  }

  it('holds the same examples as reading, splitting and encoding pairs as objects', async () => {
    const data = await prepareTrainingData({ data: file });
    const { pairs } = await readPairs(file);
    const split = splitTrainValid(pairs, { validFraction: 0.05, seed: 42, groupBy: (p) => p.source });
    const codec = {
      encodeSource: (t: string) => data.sourceTokenizer.encode(t),
      encodeTarget: (t: string) => data.targetTokenizer.encode(t),
      bosId: 1,
      eosId: 2,
    };
    expect([...data.train]).toEqual(encodePairs(split.train, codec).examples);
    expect([...data.valid]).toEqual(encodePairs(split.valid, codec).examples);
    expect(storeOf(data.train).constructor.name).toBe('PairStore');
  });

  it('reads lm windows from one typed stream, as lmWindows cuts them', () => {
    const encode = (t: string) => [...t].map((c) => c.charCodeAt(0) - 94);
    const windows = lmWindows('abcdefgh', { encode, windowSize: 3, bosId: 1, eosId: 2 });
    const stream = Uint16Array.from([1, ...encode('abcdefgh'), 2]);
    expect([...exampleList(new WindowStore(stream, 3))]).toEqual(windows);
  });
});

describe('a list over a store', () => {
  const builder = new PairStoreBuilder(100, 1, 2);
  builder.add([5, 6], [7]);
  builder.add([8], [9, 10, 11]);
  const list = exampleList(builder.finish());

  it('reads like a read-only array of examples', () => {
    expect(Array.isArray(list)).toBe(true);
    expect(list.length).toBe(2);
    expect(list[1]).toEqual({ source: [8], targetIn: [1, 9, 10, 11], targetOut: [9, 10, 11, 2] });
    expect(list.map((e) => e.source.length)).toEqual([2, 1]);
    expect(list.every((e) => e.targetOut.at(-1) === 2)).toBe(true);
    expect(() => {
      (list as unknown[])[0] = null;
    }).toThrow(/read-only/);
  });

  it('packs the batches a list of the same examples packs', () => {
    const plain = [...list];
    expect(makeBatch(list, [1, 0], { padId: 0, sourcePadId: 3 })).toEqual(makeBatch(plain, [1, 0], { padId: 0, sourcePadId: 3 }));
  });

  it('plans lazily the batches planEpoch lists', () => {
    const many = new PairStoreBuilder(100, 1, 2);
    for (let i = 0; i < 500; i++)
      many.add(
        [3 + (i % 7)],
        Array.from({ length: 1 + (i % 13) }, () => 4),
      );
    const store = many.finish();
    const lazy = epochBatches(store, 3, { batchSize: 7, seed: 5, bucketChunk: 4 });
    const listed = planEpoch([...exampleList(store)], 3, { batchSize: 7, seed: 5, bucketChunk: 4 });
    expect(Array.from({ length: lazy.length }, (_, k) => lazy.at(k))).toEqual(listed);
  });
});
