import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, REPO_ROOT, seqloomInProcess } from './helpers/run-seqloom.js';

// seqloom export --format safetensors → seqloom import → the imported model
// generates the same text, with every decoder; import's errors name the input.

/** A Python with torch and tokenizers (the machine's fixture venv, $PYTHON, python3), or undefined: CI has none. */
const python = ['/work/venv-fixtures/bin/python', process.env['PYTHON'], 'python3']
  .filter((p): p is string => !!p && (!p.includes('/') || existsSync(p)))
  .find((p) => spawnSync(p, ['-c', 'import torch, tokenizers'], { stdio: 'ignore', timeout: 60_000 }).status === 0);
if (python === undefined) console.log('cli-safetensors.test.ts: the PyTorch twin step is skipped — no Python with torch and tokenizers');

let dir: string;
let data: string;
let cleanup: () => Promise<void>;
let run: string;
let exported: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('safetensors'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(48, 3));
  run = join(dir, 'run');
  const trained = await seqloomInProcess(['train', '--data', data, '--out', run, ...TINY_MODEL, '--bidirectional', '--max-steps', '6', '-q']);
  expect(trained.code, trained.stderr).toBe(0);
  exported = join(dir, 'st');
  const exporting = await seqloomInProcess(['export', '--format', 'safetensors', '--model', run, '--out', exported, '--json', '-q']);
  expect(exporting.code, exporting.stderr).toBe(0);
});
afterAll(() => cleanup());

const oneLine = (text: string) => text.trim().split('\n').at(-1)!;
const INPUTS = ['abc', 'hgfe', 'dddcab'];

describe('seqloom import --format safetensors', () => {
  it('writes a model folder that generates the same text as the exported one', async () => {
    const back = join(dir, 'back');
    const imported = await seqloomInProcess(['import', '--format', 'safetensors', '--model', exported, '--out', back, '--json']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(jsonLines(imported.stdout)[0]).toMatchObject({ format: 'safetensors', out: back });
    for (const decoder of [
      ['--decoder', 'greedy'],
      ['--decoder', 'beam', '--beam-width', '4', '--n-best', '2'],
      ['--decoder', 'sample', '--seed', '5'],
    ]) {
      const original = await seqloomInProcess(['generate', '--model', run, ...decoder, '--json', '-q', ...INPUTS]);
      const again = await seqloomInProcess(['generate', '--model', back, ...decoder, '--json', '-q', ...INPUTS]);
      expect(original.code, original.stderr).toBe(0);
      expect(jsonLines(again.stdout), decoder.join(' ')).toEqual(jsonLines(original.stdout));
    }
    const plain = await seqloomInProcess(['import', '--model', exported, '--out', back, '--overwrite']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^imported .*st \(\d+ tensors, \d+ parameters\) → .*back\nuse it like any model: (pnpm )?seqloom generate --model /);
  });

  it.skipIf(python === undefined)('brings back what the PyTorch twin trained (export → seqloom_torch.py train → import → generate)', async () => {
    const twin = join(dir, 'twin');
    const trained = spawnSync(
      python!,
      [join(REPO_ROOT, 'python/seqloom_torch.py'), 'train', '--model', exported, '--data', data, '--steps', '20', '--lr', '0.01', '--out', twin],
      { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 },
    );
    expect(trained.status, trained.stderr).toBe(0);
    expect(jsonLines(trained.stdout).at(-1)).toMatchObject({ steps: 20 });
    const back = join(dir, 'twin-back');
    const imported = await seqloomInProcess(['import', '--model', twin, '--out', back, '-q']);
    expect(imported.code, imported.stderr).toBe(0);
    const generated = await seqloomInProcess(['generate', '--model', back, '--json', '-q', ...INPUTS]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(jsonLines(generated.stdout)).toHaveLength(INPUTS.length);
  });

  it('refuses a missing --model or --out, an existing --out, and a folder that is not a safetensors export', async () => {
    const noModel = await seqloomInProcess(['import', '--out', join(dir, 'x')]);
    expect(noModel.code).toBe(2);
    expect(oneLine(noModel.stderr)).toBe('seqloom: --model is required: the safetensors folder (config.json, model.safetensors, tokenizer.json) to import');
    const noOut = await seqloomInProcess(['import', '--model', exported]);
    expect(oneLine(noOut.stderr)).toBe('seqloom: --out is required: the seqloom model folder to write');
    const taken = await seqloomInProcess(['import', '--model', exported, '--out', run]);
    expect(taken.code).toBe(1);
    expect(oneLine(taken.stderr)).toBe(`seqloom: --out ${run} already exists; choose another path or pass --overwrite to replace it`);
    const notExport = await seqloomInProcess(['import', '--model', join(run, 'best'), '--out', join(dir, 'y')]);
    expect(notExport.code).toBe(1);
    expect(oneLine(notExport.stderr)).toContain(
      `${join(run, 'best', 'config.json')}: is not the config of a seqloom safetensors folder (expected "format": "seqloom-safetensors")`,
    );
    const config = JSON.parse(await readFile(join(exported, 'config.json'), 'utf8')) as { model: { hiddenSize: number } };
    config.model.hiddenSize = 48;
    await writeFile(join(exported, 'config.json'), JSON.stringify(config));
    const mismatched = await seqloomInProcess(['import', '--model', exported, '--out', join(dir, 'z')]);
    expect(mismatched.code).toBe(1);
    expect(oneLine(mismatched.stderr)).toMatch(
      /model\.safetensors: tensor "encoder\.lstm\.weight_ih_l0" is \[128, 16\], config\.json implies \[192, 16\]; the file and config\.json come from different models$/,
    );
  });
});
