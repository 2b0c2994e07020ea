import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('preprocess'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(240, 11));
});
afterAll(() => cleanup());

const TRAIN = [...TINY_MODEL, '--max-steps', '6', '--eval-every', '3', '--log-every', '1', '--log-json'];
const losses = (stdout: string) =>
  jsonLines(stdout)
    .filter((e) => e.event === 'step' || e.event === 'eval')
    .map((e) => [e.event, e.loss]);

describe('seqloom preprocess, then seqloom train --data <folder>', () => {
  it('trains exactly as training on the TSV does (same examples, split, batches and losses)', async () => {
    const bin = join(dir, 'pairs.bin');
    const pre = await seqloomInProcess(['preprocess', '--data', data, '--out', bin]);
    expect(pre.code, pre.stderr).toBe(0);
    expect(pre.stderr).toMatch(/wrote .*pairs\.bin: \d+ training and \d+ validation examples, \d+ tokens \(uint16\)/);
    const header = JSON.parse(readFileSync(join(bin, 'header.json'), 'utf8')) as { split: { train: number; valid: number } };
    expect(header.split.train + header.split.valid).toBe(240);

    const fromFile = await seqloomInProcess(['train', '--data', data, '--out', join(dir, 'from-file'), ...TRAIN]);
    const fromFolder = await seqloomInProcess(['train', '--data', bin, '--out', join(dir, 'from-folder'), ...TRAIN]);
    expect(fromFolder.code, fromFolder.stderr).toBe(0);
    expect(losses(fromFolder.stdout)).toHaveLength(8);
    expect(losses(fromFolder.stdout)).toEqual(losses(fromFile.stdout));
  });

  it('refuses an existing --out without --overwrite, and a damaged folder with a message naming the file', async () => {
    const bin = join(dir, 'again.bin');
    expect((await seqloomInProcess(['preprocess', '--data', data, '--out', bin])).code).toBe(0);
    const twice = await seqloomInProcess(['preprocess', '--data', data, '--out', bin]);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toMatch(/again\.bin: already exists; .*--overwrite/);
    await writeFile(join(bin, 'offsets.bin'), Buffer.alloc(12));
    const damaged = await seqloomInProcess(['train', '--data', bin, '--out', join(dir, 'damaged'), ...TRAIN]);
    expect(damaged.code).not.toBe(0);
    expect(damaged.stderr).toMatch(/offsets\.bin: has 12 bytes, but \d+ examples need \d+; the folder is damaged/);
  });
});
