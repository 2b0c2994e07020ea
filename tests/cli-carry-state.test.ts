import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let textFile: string;
const LM = ['--task', 'lm', '--hidden', '16', '--embedding', '8', '--window', '16', '--batch-size', '4', '--max-steps', '6', '--backend', 'wasm', '-q'];

beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('carry'));
  textFile = join(dir, 'text.txt');
  await writeFile(textFile, 'the cat sat on the mat and the rat sat on the cat. '.repeat(20));
});
afterAll(() => cleanup());

describe('seqloom train --task lm: carried state (truncated BPTT)', () => {
  it('is on by default, saved in the checkpoint, and used by eval; --no-carry-state turns it off', async () => {
    const on = join(dir, 'on');
    const run = await seqloomInProcess(['train', '--data', textFile, '--out', on, ...LM]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const config = JSON.parse(await readFile(join(on, 'last', 'config.json'), 'utf8'));
    expect(config.training.carryState).toBe(true);
    expect(existsSync(join(on, 'last', 'carried-state.json'))).toBe(true);
    const off = join(dir, 'off');
    expect((await seqloomInProcess(['train', '--data', textFile, '--out', off, ...LM, '--no-carry-state'])).code).toBe(0);
    expect(JSON.parse(await readFile(join(off, 'last', 'config.json'), 'utf8')).training.carryState).toBe(false);
    expect(existsSync(join(off, 'last', 'carried-state.json'))).toBe(false);
    const evalOf = async (extra: string[]) =>
      jsonLines(
        (await seqloomInProcess(['eval', '--model', on, '--data', textFile, '--window', '16', '--batch-size', '4', '--json', '-q', ...extra])).stdout,
      ).at(-1)!;
    const carried = await evalOf([]);
    const zero = await evalOf(['--no-carry-state']);
    expect(carried.tokens).toBe(zero.tokens);
    expect(carried.loss).not.toBe(zero.loss);
    expect(carried.carryState).toBe(true);
  });

  it('an ensemble of language models generates, and says it cannot be evaluated', async () => {
    const on = join(dir, 'on');
    const gen = await seqloomInProcess(['generate', '--model', on, '--model', on, '--prime', 'the c', '--max-length', '8', '-q']);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    expect(gen.stdout.startsWith('the c')).toBe(true);
    const ev = await seqloomInProcess(['eval', '--model', on, '--model', on, '--data', textFile, '-q']);
    expect(ev.code).toBe(1);
    expect(ev.stderr).toMatch(/evaluating an ensemble of language models is not supported/);
  });

  it('refuses --carry-state for seq2seq data and a changed --carry-state on resume', async () => {
    const pairs = join(dir, 'pairs.tsv');
    await writeFile(pairs, 'abc\tcba\nbcd\tdcb\n');
    const bad = await seqloomInProcess(['train', '--data', pairs, '--out', join(dir, 's2s'), '--carry-state', '--max-steps', '1', '--backend', 'wasm', '-q']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/carryState is for language models/);
    const resumed = await seqloomInProcess(['train', '--resume', join(dir, 'on'), '--no-carry-state', '-q']);
    expect(resumed.code).not.toBe(0);
    expect(resumed.stderr).toMatch(/was trained with carryState true, but this run has carryState false/);
  });
});
