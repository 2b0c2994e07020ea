// seq2seq on the primitives of @seqloom/core: run.json written atomically,
// and the numbers saved checkpoints hold (data fingerprints, shuffles) unchanged.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunFile, writeRunFile } from '../src/checkpoint/run-file.js';
import { dataFingerprint } from '../src/data/data-fingerprint.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqloom-run-file-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeRunFile', () => {
  it('survives writers racing in one process (each temporary file has its own name) and leaves no temporary file', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => writeRunFile(root, { lr: i })));
    expect(await readdir(root)).toEqual(['run.json']);
    expect((await readRunFile(root))?.lr).toEqual(expect.any(Number));
  });
});

describe('dataFingerprint', () => {
  it('gives the fingerprint earlier runs saved for the same examples', () => {
    const examples = Array.from({ length: 50 }, (_, i) => ({
      source: Array.from({ length: 1 + (i % 7) }, (_, t) => (i * 7919 + t * 104729) % 70000),
      targetIn: [1, i, i * 3],
      targetOut: [i, i * 3, 2],
    }));
    expect(dataFingerprint(examples)).toBe('50:9d1dad9c');
  });
});
