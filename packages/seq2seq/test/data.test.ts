import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNumberedTextLines } from '@seqloom/tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodePairs,
  lmWindows,
  makeBatch,
  planEpoch,
  planEvaluation,
  prepareExamples,
  readPairs,
  readText,
  SeededRng,
  splitTrainValid,
} from '../src/data/index.js';
import { DataError } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('readPairs', () => {
  it('reads TSV with several targets per source, CRLF endings and blank lines', async () => {
    const path = await file('a.tsv', 'read\tR IY1 D\tR EH1 D\r\n\r\n\tR EH D\nlive\tL IH1 V\n');
    const { pairs, skipped } = await readPairs(path);
    expect(skipped).toBe(0);
    expect(pairs).toEqual([
      { source: 'read', target: 'R IY1 D' },
      { source: 'read', target: 'R EH1 D' },
      { source: 'read', target: 'R EH D' },
      { source: 'live', target: 'L IH1 V' },
    ]);
  });

  it('reads JSONL with a string or an array of targets', async () => {
    const path = await file('a.jsonl', '{"source":"a b","target":"b a"}\n{"source":"x","target":["y","z"]}\n');
    expect((await readPairs(path)).pairs).toEqual([
      { source: 'a b', target: 'b a' },
      { source: 'x', target: 'y' },
      { source: 'x', target: 'z' },
    ]);
  });

  it('names file, line and expected form for a malformed line', async () => {
    const tsv = await file('bad.tsv', 'ok\tfine\nno tab here\n');
    await expect(readPairs(tsv)).rejects.toThrow(`${tsv}:2: no TAB between source and target; expected \`source<TAB>target\``);
    const cont = await file('cont.tsv', '\torphan\n');
    await expect(readPairs(cont)).rejects.toThrow(/:1: a continuation line/);
    const jsonl = await file('bad.jsonl', '{"source":"a","target":"b"}\n{"source":"a"}\n[1]\n{oops\n');
    await expect(readPairs(jsonl)).rejects.toThrow(`${jsonl}:2: "target" is missing`);
    const err = await readPairs(jsonl).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).line).toBe(2);
    expect((err as DataError).file).toBe(jsonl);
  });

  it('skips and counts malformed lines with skipBadLines', async () => {
    const jsonl = await file('skip.jsonl', '{"source":"a","target":"b"}\n{"source":"a"}\n[1]\n{oops\n{"source":"c","target":"d"}\n');
    const result = await readPairs(jsonl, { skipBadLines: true });
    expect(result.pairs).toEqual([
      { source: 'a', target: 'b' },
      { source: 'c', target: 'd' },
    ]);
    expect(result.skipped).toBe(3);
    expect(result.skippedExamples[1]).toMatch(/:3: not a JSON object/);
    expect(result.skippedExamples[2]).toMatch(/:4: not valid JSON/);
  });

  it('with skipBadLines, never attaches a continuation line to the source before a skipped line', async () => {
    const tsv = await file('cont-skip.tsv', 'cat\tK AE T\nbrokenline\n\tWRONG TARGET\ndog\tD AO G\n\tD AA G\n');
    const result = await readPairs(tsv, { skipBadLines: true });
    expect(result.pairs).toEqual([
      { source: 'cat', target: 'K AE T' },
      { source: 'dog', target: 'D AO G' },
      { source: 'dog', target: 'D AA G' },
    ]);
    expect(result.skipped).toBe(2);
    expect(result.skippedExamples[1]).toMatch(/:3: a continuation line `<TAB>target` follows a skipped line, so its source is unknown/);
  });

  it('drops a byte-order mark and reads \\r\\n line ends', async () => {
    const path = await file('bom.tsv', '\ufeffcat\tK AE T\r\ndog\tD AO G\r\n');
    expect((await readPairs(path)).pairs).toEqual([
      { source: 'cat', target: 'K AE T' },
      { source: 'dog', target: 'D AO G' },
    ]);
  });

  it('rejects non-UTF-8 bytes with the line, and a missing file', async () => {
    const bytes = new Uint8Array([...Buffer.from('ok\tfine\nbad\t'), 0xff, 0xfe, ...Buffer.from('\n')]);
    const path = await file('latin.tsv', bytes);
    await expect(readPairs(path)).rejects.toThrow(`${path}:2: the file is not valid UTF-8 text`);
    await expect(readPairs(join(dir, 'nope.tsv'))).rejects.toThrow(/nope\.tsv: cannot read: no such file/);
    await expect(readPairs(path, { format: 'csv' as 'tsv' })).rejects.toThrow(/unknown pair format "csv"/);
  });

  it('streams lines across chunk boundaries, including multi-byte characters', async () => {
    const line = 'é'.repeat(40_000); // 80 kB per line: spans read chunks
    const path = await file('big.txt', `${line}\n${line}\nend`);
    const lines: string[] = [];
    for await (const l of readNumberedTextLines(path, 'data file')) lines.push(l.text);
    expect(lines).toEqual([line, line, 'end']);
  });
});

describe('readText', () => {
  it('keeps the text (\\r\\n → \\n) and rejects an empty or non-UTF-8 file', async () => {
    expect(await readText(await file('t.txt', 'ab\r\ncd\n'))).toBe('ab\ncd\n');
    const bad = await file('bad.txt', new Uint8Array([...Buffer.from('ok\nfine\nx'), 0xc3, 0x28]));
    await expect(readText(bad)).rejects.toThrow(`${bad}:3: the file is not valid UTF-8`);
    await expect(readText(await file('empty.txt', '\n\n'))).rejects.toThrow(/empty/);
  });
});

describe('splitTrainValid', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ key: `k${i % 40}`, i }));
  it('is seeded, complete and keeps groups on one side', () => {
    const a = splitTrainValid(items, { validFraction: 0.25, seed: 5, groupBy: (x) => x.key });
    const b = splitTrainValid(items, { validFraction: 0.25, seed: 5, groupBy: (x) => x.key });
    const c = splitTrainValid(items, { validFraction: 0.25, seed: 6, groupBy: (x) => x.key });
    expect(a).toEqual(b);
    expect(a.valid).not.toEqual(c.valid);
    expect(a.train.length + a.valid.length).toBe(100);
    expect(new Set(a.valid.map((x) => x.key)).size).toBe(10);
    const trainKeys = new Set(a.train.map((x) => x.key));
    expect(a.valid.some((x) => trainKeys.has(x.key))).toBe(false);
  });
  it('rejects a bad fraction and a split that holds out nothing', () => {
    expect(() => splitTrainValid(items, { validFraction: 1, seed: 1 })).toThrow(/validFraction must be in \[0, 1\)/);
    expect(() => splitTrainValid(items.slice(0, 3), { validFraction: 0.1, seed: 1 })).toThrow(/holds out nothing/);
  });
});

describe('examples and batches', () => {
  const chars = (s: string) => [...s].map((c) => c.charCodeAt(0) - 94); // 'a' → 3
  it('appends the stop token to every target and shifts it', () => {
    const { examples, dropped } = encodePairs(
      [
        { source: 'abc', target: 'cb' },
        { source: 'abcdef', target: 'a' },
      ],
      { encodeSource: chars, encodeTarget: chars, bosId: 1, eosId: 2, maxSourceLength: 5 },
    );
    expect(dropped).toBe(1);
    expect(examples).toEqual([{ source: [3, 4, 5], targetIn: [1, 5, 4], targetOut: [5, 4, 2] }]);
  });

  it('cuts lm text into windows predicting every token exactly once', () => {
    const windows = lmWindows('abcdefg', { encode: chars, windowSize: 3, bosId: 1, eosId: 2 });
    expect(windows.map((w) => w.targetIn)).toEqual([
      [1, 3, 4],
      [5, 6, 7],
      [8, 9],
    ]);
    expect(windows.map((w) => w.targetOut)).toEqual([
      [3, 4, 5],
      [6, 7, 8],
      [9, 2],
    ]);
    expect(windows.flatMap((w) => w.targetOut)).toEqual([...chars('abcdefg'), 2]);
    expect(() => lmWindows('ab', { encode: chars, windowSize: 0, bosId: 1, eosId: 2 })).toThrow(/windowSize/);
  });

  const rng = new SeededRng(3);
  const examples = Array.from({ length: 203 }, () => {
    const n = 1 + rng.nextInt(30);
    const y = Array.from({ length: n }, () => 3 + rng.nextInt(9));
    return { source: y.slice(0, 1 + rng.nextInt(n)), targetIn: [1, ...y], targetOut: [...y, 2] };
  });

  it('plans each epoch deterministically, covering every example once, with less padding', () => {
    const plan = planEpoch(examples, 0, { batchSize: 16, seed: 9 });
    expect(planEpoch(examples, 0, { batchSize: 16, seed: 9 })).toEqual(plan);
    expect(planEpoch(examples, 1, { batchSize: 16, seed: 9 })).not.toEqual(plan);
    expect(plan.flat().sort((a, b) => a - b)).toEqual(examples.map((_, i) => i));
    const padding = (batches: number[][]) =>
      batches.reduce((sum, b) => sum + makeBatch(examples, b, { padId: 0, sourcePadId: 0 }).targetMask.filter((m) => m === 0).length, 0);
    const unbucketed = planEpoch(examples, 0, { batchSize: 16, seed: 9, bucketChunk: 1 });
    expect(padding(plan)).toBeLessThan(padding(unbucketed) / 2);
    expect(planEvaluation(examples, 50).flat().length).toBe(203);
    expect(() => planEpoch(examples, 0, { batchSize: 0, seed: 1 })).toThrow(/batchSize must be a positive integer/);
  });

  it('packs a padded, masked batch', () => {
    const batch = makeBatch(
      [
        { source: [5, 6, 7], targetIn: [1, 8], targetOut: [8, 2] },
        { source: [4], targetIn: [1, 9, 10], targetOut: [9, 10, 2] },
      ],
      [1, 0],
      { padId: 0, sourcePadId: 11 },
    );
    expect(batch).toMatchObject({ batchSize: 2, sourceLength: 3, targetLength: 3, tokens: 5 });
    expect([...batch.source]).toEqual([4, 11, 11, 5, 6, 7]);
    expect([...batch.sourceLengths]).toEqual([1, 3]);
    expect([...batch.targetIn]).toEqual([1, 9, 10, 1, 8, 0]);
    expect([...batch.targetOut]).toEqual([9, 10, 2, 8, 2, 0]);
    expect([...batch.targetMask]).toEqual([1, 1, 1, 1, 1, 0]);
    expect(() => makeBatch([{ source: [], targetIn: [1], targetOut: [] }], [0], { padId: 0, sourcePadId: 0 })).toThrow(
      /example 0: targetIn and targetOut must have the same/,
    );
  });
});

describe('SeededRng', () => {
  it('restores exactly from its state and gives uniform-looking floats', () => {
    const a = new SeededRng(42);
    for (let i = 0; i < 10; i++) a.next();
    const b = SeededRng.fromState(a.getState());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(Array.from({ length: 5 }, () => a.nextUint32()));
    const xs = Array.from({ length: 20000 }, () => a.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.01);
    expect(() => SeededRng.fromState([1, 2, 3])).toThrow(/four unsigned 32-bit integers/);
  });
});

describe('prepareExamples', () => {
  const encode = (t: string) => [...t].map((c) => (c.charCodeAt(0) % 50) + 3);
  it('reads, splits (by source) and encodes pairs, reporting skipped lines', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `w${i}\tx${i}\ty${i}`);
    const path = await file('prep.tsv', [...lines, 'broken'].join('\n'));
    const prepared = await prepareExamples({
      task: 'seq2seq',
      trainFile: path,
      validFraction: 0.25,
      skipBadLines: true,
      encodeTarget: encode,
      bosId: 1,
      eosId: 2,
    });
    expect(prepared.train.length + prepared.valid.length).toBe(80);
    expect(prepared.valid.length).toBe(20);
    expect(prepared.skipped).toBe(1);
    const key = (e: { source: readonly number[] }) => e.source.join(',');
    const trainSources = new Set(prepared.train.map(key));
    expect(prepared.valid.some((e) => trainSources.has(key(e)))).toBe(false);
    expect(prepared.train.every((e) => e.targetIn[0] === 1 && e.targetOut.at(-1) === 2)).toBe(true);
  });

  it('uses a validation file and lm windows', async () => {
    const trainFile = await file('lm.txt', 'hello world\n'.repeat(20));
    const validFile = await file('lm-valid.txt', 'hello there');
    const prepared = await prepareExamples({ task: 'lm', trainFile, validFile, windowSize: 16, encodeTarget: encode, bosId: 1, eosId: 2 });
    expect(prepared.train.flatMap((w) => w.targetOut)).toHaveLength(encode('hello world\n'.repeat(20)).length + 1);
    expect(prepared.valid).toHaveLength(1);
    await expect(
      prepareExamples({
        task: 'seq2seq',
        trainFile: await file('allbad.tsv', 'x\n'),
        validFraction: 0,
        skipBadLines: true,
        encodeTarget: encode,
        bosId: 1,
        eosId: 2,
      }),
    ).rejects.toThrow(/allbad\.tsv: no training examples remain/);
  });
});
