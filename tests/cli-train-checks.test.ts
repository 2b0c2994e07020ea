import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('train-checks'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(60, 4));
});
afterAll(() => cleanup());

const oneLine = (text: string) => text.trim().split('\n').at(-1)!;

describe('seqloom train checks its output folder before training', () => {
  it('--overwrite with user files in DIR/best/ fails before the first step and writes nothing', async () => {
    const out = join(dir, 'user-best');
    await mkdir(join(out, 'best'), { recursive: true });
    await writeFile(join(out, 'best', 'notes.txt'), 'my notes\n');
    const run = await seqloomInProcess(['train', '--data', data, '--out', out, ...TINY_MODEL, '--max-steps', '3', '--log-json', '--overwrite']);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(
      `seqloom: ${join(out, 'best')}: is not empty and holds no seqloom checkpoint (config.json), so saving a checkpoint there would replace it; choose a new or empty folder`,
    );
    expect(jsonLines(run.stdout).filter((e) => e.event === 'step')).toEqual([]);
    expect(await readdir(out)).toEqual(['best']);
    expect(await readdir(join(out, 'best'))).toEqual(['notes.txt']);
  });

  it('--out naming a file, with --overwrite, says so (no raw EEXIST)', async () => {
    const file = join(dir, 'afile.txt');
    await writeFile(file, 'not a folder\n');
    const run = await seqloomInProcess(['train', '--data', data, '--out', file, ...TINY_MODEL, '--max-steps', '1', '--overwrite']);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(`seqloom: --out ${file} is a file; training writes a folder of checkpoints there, so choose another path`);
    expect(await readFile(file, 'utf8')).toBe('not a folder\n');
  });
});

describe('seqloom train messages', () => {
  it('--resume of a missing folder says it does not exist (not that --data is required)', async () => {
    const missing = join(dir, 'nonexistent');
    const run = await seqloomInProcess(['train', '--resume', missing]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(`seqloom: --resume ${missing}: does not exist; resume from a checkpoint folder or the output folder of a training run`);
  });

  it('a diverging loss names the flags --lr and --clip-norm', async () => {
    const out = join(dir, 'nan');
    const run = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      out,
      ...TINY_MODEL,
      '--optimizer',
      'sgd',
      '--lr',
      '1e30',
      '--clip-norm',
      '0',
      '--max-steps',
      '20',
    ]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(
      new RegExp(`^seqloom: the loss became (NaN|-?Infinity) at step \\d+; lower --lr or set --clip-norm; the last checkpoint in ${out} is kept$`),
    );
  });
});

describe('seqloom train uses the library defaults', () => {
  it('--optimizer sgd trains at 0.01 without momentum unless told otherwise', async () => {
    const out = join(dir, 'sgd');
    const run = await seqloomInProcess(['train', '--data', data, '--out', out, ...TINY_MODEL, '--optimizer', 'sgd', '--max-steps', '1', '--log-json']);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).find((e) => e.event === 'step')).toMatchObject({ learningRate: 0.01 });
    const config = JSON.parse(await readFile(join(out, 'last', 'config.json'), 'utf8')) as { training: { optimizer: unknown } };
    expect(config.training.optimizer).toEqual({ type: 'sgd', momentum: 0, nesterov: false });
  });
});
