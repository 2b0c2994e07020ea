import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
let run: string;
let runEvents: Record<string, unknown>[];
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('average'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(64, 6));
  run = join(dir, 'run');
  const trained = await seqloomInProcess([
    'train',
    '--data',
    data,
    '--out',
    run,
    ...TINY_MODEL,
    '--max-steps',
    '8',
    '--eval-every',
    '2',
    '--average-last',
    '3',
    '--log-json',
  ]);
  expect(trained.code).toBe(0);
  runEvents = jsonLines(trained.stdout);
});
afterAll(() => cleanup());

const oneLine = (text: string) => text.trim().split('\n').at(-1)!;

describe('seqloom train --average-last', () => {
  it('keeps the last evaluation checkpoints and writes their average, which evaluates like any model', async () => {
    const done = runEvents.at(-1)!;
    expect(done.averaged).toMatchObject({ dir: join(run, 'averaged'), steps: [4, 6, 8] });
    for (const step of [4, 6, 8]) expect(existsSync(join(run, 'evals', `step-${step}`, 'weights.bin'))).toBe(true);
    expect(existsSync(join(run, 'evals', 'step-2'))).toBe(false);
    const evaluated = await seqloomInProcess(['eval', '--model', join(run, 'averaged'), '--data', data, '--limit', '5', '--json', '-q']);
    expect(evaluated.code).toBe(0);
    expect(jsonLines(evaluated.stdout)[0]).toMatchObject({ examples: 5 });
  });
});

describe('seqloom average', () => {
  it('averages checkpoints of one run into a model folder that generates', async () => {
    const out = join(dir, 'avg');
    const averaged = await seqloomInProcess(['average', '--out', out, join(run, 'evals', 'step-6'), join(run, 'evals', 'step-8'), join(run, 'last'), '--json']);
    expect(averaged.code).toBe(0);
    const [result] = jsonLines(averaged.stdout);
    expect((result.sources as { step: number }[]).map((s) => s.step)).toEqual([6, 8, 8]);
    const generated = await seqloomInProcess(['generate', '--model', out, '-q', 'abc']);
    expect(generated.code).toBe(0);
    expect(generated.stdout.trim()).not.toBe('');
    const again = await seqloomInProcess(['average', '--out', out, join(run, 'best'), join(run, 'last')]);
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toBe(`seqloom: --out ${out} already exists; choose another path or pass --overwrite to replace it`);
    const replaced = await seqloomInProcess(['average', '--out', out, join(run, 'best'), join(run, 'last'), '--overwrite']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(/^averaged 2 checkpoints \(step \d+, step 8\): \d+ weights, \d+ parameters → /);
  });

  it('refuses checkpoints of other models, and too few checkpoints', async () => {
    const other = join(dir, 'other');
    const wide = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      other,
      '--hidden',
      '24',
      '--embedding',
      '16',
      '--batch-size',
      '16',
      '--backend',
      'wasm',
      '--max-steps',
      '1',
      '-q',
    ]);
    expect(wide.code).toBe(0);
    const mixed = await seqloomInProcess(['average', '--out', join(dir, 'mixed'), join(run, 'last'), join(other, 'last')]);
    expect(mixed.code).toBe(1);
    expect(oneLine(mixed.stderr)).toMatch(
      /^seqloom: .*other\/last\/config\.json: its model configuration differs from that of .*run\/last \(hiddenSize 24 vs 32\); only checkpoints of one model can be averaged$/,
    );
    expect(existsSync(join(dir, 'mixed'))).toBe(false);
    const single = await seqloomInProcess(['average', '--out', join(dir, 'single'), join(run, 'last')]);
    expect(single.code).toBe(2);
    expect(oneLine(single.stderr)).toBe('seqloom: name at least two checkpoints to average (got 1)');
    const noOut = await seqloomInProcess(['average', join(run, 'last'), join(run, 'best')]);
    expect(oneLine(noOut.stderr)).toBe('seqloom: --out is required: the model folder the averaged weights are written to');
  });
});
