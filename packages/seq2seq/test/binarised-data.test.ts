import { readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinarisedStore, dataFingerprint, MAX_DATA_LINE_BYTES, makeBatch, readPairs, storeOf } from '../src/data/index.js';
import { DataError, prepareTrainingData, preprocessTrainingData } from '../src/index.js';
import { readBinarisedHeader } from '../src/pipeline/index.js';

let dir: string;
let corpus: string;
let folder: string;
const reversed = (w: string) => [...w].reverse().join('');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-bin-'));
  const words = Array.from({ length: 300 }, (_, i) => `w${(i * 7919).toString(36)}`);
  corpus = join(dir, 'pairs.tsv');
  await writeFile(corpus, words.map((w) => `${w}\t${reversed(w)}`).join('\n'));
  folder = join(dir, 'pairs.bin');
  await preprocessTrainingData({ data: corpus, out: folder });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A copy of the folder with `change` applied, for one corruption. */
async function damaged(name: string, change: (copy: string) => void | Promise<void>): Promise<string> {
  const copy = join(dir, name);
  await cp(folder, copy, { recursive: true });
  await change(copy);
  return copy;
}

function editHeader(copy: string, edit: (h: Record<string, unknown>) => void): void {
  const file = join(copy, 'header.json');
  const header = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(header);
  writeFileSync(file, JSON.stringify(header));
}

describe('a binarised folder', () => {
  it('holds the examples, split and tokenizer that training on the file uses', async () => {
    const fromFile = await prepareTrainingData({ data: corpus });
    const fromFolder = await prepareTrainingData({ data: folder });
    expect(fromFolder.stats.trainExamples).toBe(fromFile.stats.trainExamples);
    expect(fromFolder.stats.validExamples).toBe(fromFile.stats.validExamples);
    expect([...fromFolder.train]).toEqual([...fromFile.train]);
    expect([...fromFolder.valid]).toEqual([...fromFile.valid]);
    expect(fromFolder.targetTokenizer.toJSON()).toEqual(fromFile.targetTokenizer.toJSON());
    // The fingerprint the header recorded is the one the examples hash to.
    expect(dataFingerprint(fromFolder.train)).toBe(dataFingerprint([...fromFile.train]));
    const header = await readBinarisedHeader(folder);
    expect(header).toMatchObject({ tokenDtype: 'uint16', offsetDtype: 'uint32', examples: 300 });
    expect(header.sources[0]).toMatchObject({ file: corpus, bytes: (await readFile(corpus)).length });
  });

  it('is refused when --out exists, unless overwrite is asked for', async () => {
    await expect(preprocessTrainingData({ data: corpus, out: folder })).rejects.toThrow(/pairs\.bin: already exists; .*--overwrite/);
    await preprocessTrainingData({ data: corpus, out: folder, overwrite: true });
  });

  it('reads an example with a few small positioned reads and a bounded buffer', async () => {
    const data = await prepareTrainingData({ data: folder });
    const store = storeOf(data.train) as BinarisedStore;
    expect(store).toBeInstanceOf(BinarisedStore);
    const files = store.files;
    const before = files.bytesRead;
    makeBatch(data.train, [0, 17, 250], { padId: 0, sourcePadId: 0 });
    const read = files.bytesRead - before;
    // three examples: their tokens (a few dozen bytes) and at most one 4 KiB offset block each
    expect(read).toBeLessThan(3 * 4096 + 1024);
    expect(files.bufferedBytes).toBeLessThan(2 * 1024 * 1024);
    // A pass over every example keeps the same buffers, however many bytes it reads.
    for (let i = 0; i < store.size; i++) store.example(i);
    expect(files.bufferedBytes).toBeLessThan(2 * 1024 * 1024);
  });

  const refusals: [string, (copy: string) => void | Promise<void>, RegExp][] = [
    ['a newer format version', (c) => editHeader(c, (h) => void (h.version = 99)), /header\.json: format version 99 is not one this seqloom reads/],
    [
      'a split that does not add up',
      (c) => editHeader(c, (h) => void (h.split = { train: 1, valid: 1 })),
      /header\.json: "split" \(1 train \+ 1 valid\) must add up/,
    ],
    ['a negative count', (c) => editHeader(c, (h) => void (h.tokens = -4)), /header\.json: "tokens" must be a non-negative integer/],
    [
      '16-bit ids for a large vocabulary',
      (c) => editHeader(c, (h) => void ((h.tokenizers as { target: { vocabSize: number } }).target.vocabSize = 70000)),
      /uint16 cannot hold the ids of a 70000-token vocabulary/,
    ],
    ['a token file of the wrong size', (c) => writeFileSync(join(c, 'tokens.bin'), Buffer.alloc(10)), /tokens\.bin: has 10 bytes, but the header gives/],
    [
      'offsets that go back',
      (c) => {
        const offsets = readFileSync(join(c, 'offsets.bin'));
        offsets.writeUInt32LE(1_000_000, 8);
        writeFileSync(join(c, 'offsets.bin'), offsets);
      },
      /offsets\.bin: offset \d+ is \d+ after \d+: offsets must start at 0, never decrease/,
    ],
    [
      'another tokenizer',
      async (c) => {
        const json = JSON.parse(await readFile(join(c, 'tokenizer.json'), 'utf8')) as { added_tokens: { content: string }[] };
        json.added_tokens[json.added_tokens.length - 1]!.content = '<other>';
        await writeFile(join(c, 'tokenizer.json'), JSON.stringify(json));
      },
      /tokenizer\.json: is not the tokenizer the header names/,
    ],
    ['a header that is not JSON', (c) => writeFileSync(join(c, 'header.json'), '{'), /header\.json: is not valid JSON/],
  ];
  for (const [what, change, message] of refusals) {
    it(`is refused with a message naming the file: ${what}`, async () => {
      const copy = await damaged(what.replace(/\W+/g, '-'), change);
      const error = await prepareTrainingData({ data: copy }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('refuses a token id outside the vocabulary when the example is read', async () => {
    const copy = await damaged('bad-id', (c) => {
      const tokens = readFileSync(join(c, 'tokens.bin'));
      tokens.writeUInt16LE(60000, 0);
      writeFileSync(join(c, 'tokens.bin'), tokens);
    });
    const data = await prepareTrainingData({ data: copy });
    expect(() => data.train[0]).toThrow(/tokens\.bin: token 0 is 60000, not an id of the \d+-token vocabulary/);
  });
});

describe('data lines', () => {
  it('refuses a line over the cap, naming the file and line, without reading it into memory', async () => {
    const file = join(dir, 'huge.tsv');
    await writeFile(file, `a\tb\n${'x'.repeat(300_000)}\tc\nd\te\n`);
    await expect(readPairs(file, { maxLineBytes: 65_536 })).rejects.toThrow(
      /huge\.tsv:2: the line has more than 65536 bytes, more than a data line may have \(65536\); split or shorten it/,
    );
    expect((await readPairs(file)).pairs).toHaveLength(3);
    expect(MAX_DATA_LINE_BYTES).toBe(64 * 1024 * 1024);
  });
});
