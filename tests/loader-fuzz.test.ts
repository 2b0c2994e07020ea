import { setBackend } from '@seqloom/seq2seq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMutation, fuzzLoaders, makeFuzzFixture } from './fuzz/loader-fuzz.js';

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await setBackend('cpu');
  ({ root, cleanup } = await makeFuzzFixture());
});
afterAll(() => cleanup());

describe('fuzzed model folders and data files', () => {
  it('mutations change the file they are given', () => {
    const original = Buffer.from('{"a": {"b": [1, 2]}}');
    expect(applyMutation(original, { kind: 'truncate', at: 5 }, true).toString()).toBe('{"a":');
    expect(applyMutation(original, { kind: 'json', node: 1, value: 'x' }, true).toString()).toBe('{"a":{"b":"x"}}');
    expect(applyMutation(original, { kind: 'insert', at: 0, text: 'z' }, true).toString()).toBe(`z${original}`);
  });

  it('every mutated or truncated file gives a typed seqloom error naming a file, in bounded time and memory', async () => {
    // A fixed seed: the same cases on every run; `pnpm bench fuzz --runs N` tries many more.
    const report = await fuzzLoaders({ root, runs: 300, seed: 13 });
    expect(report.cases).toBe(300);
    expect(Object.keys(report.perFile).length).toBeGreaterThanOrEqual(10);
    expect(report.failures.slice(0, 5)).toEqual([]);
  });
});
