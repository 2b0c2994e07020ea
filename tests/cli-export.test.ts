import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

// train → seqloom export --format onnx → seqloom generate on the export gives
// the trained model's own outputs; --out is never replaced without being asked.

let dir: string;
let cleanup: () => Promise<void>;
let run: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('cli-export'));
  const data = await writeLines(dir, 'pairs.tsv', reversePairs(48, 3));
  run = join(dir, 'run');
  const trained = await seqloomInProcess(['train', '--data', data, '--out', run, ...TINY_MODEL, '--max-steps', '3', '-q']);
  expect(trained.code).toBe(0);
});
afterAll(() => cleanup());

const oneLine = (text: string) => text.trim().split('\n').at(-1)!;
type Row = { text: string; ids: number[]; score: number; nBest: { text: string; score: number }[]; attention?: number[][] };

describe('seqloom export --format onnx', () => {
  it("writes an export that seqloom generate decodes to the checkpoint's own outputs", async () => {
    const out = join(dir, 'onnx');
    const exported = await seqloomInProcess(['export', '--format', 'onnx', '--model', run, '--out', out, '--json']);
    expect(exported.code).toBe(0);
    expect(jsonLines(exported.stdout)[0]).toEqual({
      format: 'onnx',
      model: run,
      out,
      files: ['config.json', 'decoder_step.onnx', 'encoder.onnx', 'generation.json', 'tokenizer.json', 'tokenizer_config.json'],
    });
    const inputs = ['abc', 'hgfed', 'bad'];
    for (const flags of [
      ['--decoder', 'beam', '--beam-width', '4', '--n-best', '3'],
      ['--decoder', 'sample', '--seed', '5', '--n-best', '2'],
      ['--attention'],
    ]) {
      const [ours, theirs] = await Promise.all([run, out].map((m) => seqloomInProcess(['generate', '--model', m, ...flags, '--json', '-q', ...inputs])));
      expect(theirs.code).toBe(0);
      const [a, b] = [jsonLines(ours!.stdout) as unknown as Row[], jsonLines(theirs!.stdout) as unknown as Row[]];
      expect(b.map((r) => [r.text, r.ids, r.nBest.map((h) => h.text)])).toEqual(a.map((r) => [r.text, r.ids, r.nBest.map((h) => h.text)]));
      b.forEach((r, i) => {
        expect(r.score).toBeCloseTo(a[i]!.score, 4);
        r.attention?.flat().forEach((w, j) => expect(w).toBeCloseTo(a[i]!.attention!.flat()[j]!, 4));
      });
    }
  });

  it('refuses a non-empty --out unless --overwrite (or --force) is given', async () => {
    const out = join(dir, 'again');
    expect((await seqloomInProcess(['export', '--model', run, '--out', out, '-q'])).code).toBe(0);
    const refused = await seqloomInProcess(['export', '--model', run, '--out', out]);
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toBe(
      `seqloom: --out ${out} already exists and is not empty; choose another path or pass --overwrite to replace an earlier export`,
    );
    const forced = await seqloomInProcess(['export', '--model', run, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^exported .* as onnx → .*again: config\.json, decoder_step\.onnx, encoder\.onnx, /);
    const intoCheckpoint = await seqloomInProcess(['export', '--model', run, '--out', join(run, 'best'), '--overwrite']);
    expect(intoCheckpoint.code).toBe(1);
    expect(oneLine(intoCheckpoint.stderr)).toMatch(
      /best holds files that are not a seqloom ONNX export .* so it is not replaced; choose a new or empty folder$/,
    );
    expect(existsSync(join(run, 'best', 'weights.bin'))).toBe(true);
    const noModel = await seqloomInProcess(['export', '--out', join(dir, 'x')]);
    expect(noModel.code).toBe(2);
    expect(oneLine(noModel.stderr)).toBe('seqloom: --model is required: the model folder (written by seqloom train) to export');
  });
});

describe('seqloom export --format safetensors', () => {
  it('writes model.safetensors with the tokenizers and config', async () => {
    const out = join(dir, 'st');
    const exported = await seqloomInProcess(['export', '--format', 'safetensors', '--model', run, '--out', out, '--json']);
    expect(exported.code).toBe(0);
    expect(jsonLines(exported.stdout)[0]!.files as string[]).toContain('model.safetensors');
  });
});
