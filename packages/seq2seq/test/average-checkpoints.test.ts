import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageCheckpoints, saveCheckpoint } from '../src/checkpoint/index.js';
import { CheckpointError, loadCheckpoint, type TrainOptions, train } from '../src/index.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-average-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const TOKENIZERS = { target: { model: { vocab: { a: 0 } } } };

async function saved(
  name: string,
  seed: number,
  config = toyConfig(),
  tokenizers: unknown = TOKENIZERS,
): Promise<{ dir: string; weights: Map<string, Float32Array> }> {
  const model = new ToyModel(config, { seed });
  const dir = join(root, name);
  await saveCheckpoint(dir, { model, tokenizers: { target: tokenizers }, generation: { strategy: 'beam', beamWidth: 3 } });
  const weights = new Map([...model.namedWeights()].map(([n, v]) => [n, v.dataSync() as Float32Array]));
  model.dispose();
  return { dir, weights };
}

async function rejection(promise: Promise<unknown>): Promise<CheckpointError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}

describe('averageCheckpoints', () => {
  it('writes the element-wise mean as a checkpoint that loads like any other', async () => {
    const parts = [await saved('a', 1), await saved('b', 2), await saved('c', 3)];
    const out = join(root, 'avg');
    const result = await averageCheckpoints(
      parts.map((p) => p.dir),
      out,
    );
    expect(result.sources.map((s) => s.dir)).toEqual(parts.map((p) => p.dir));
    const loaded = await loadCheckpoint(out, { createModel: (c) => new ToyModel(c) });
    for (const [name, variable] of loaded.model.namedWeights()) {
      const got = variable.dataSync();
      const want = parts.map((p) => p.weights.get(name)!);
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo((want[0]![i]! + want[1]![i]! + want[2]![i]!) / 3, 6);
    }
    expect(result.parameters).toBe([...loaded.model.namedWeights().values()].reduce((n, v) => n + v.size, 0));
    expect(loaded.generation).toEqual({ strategy: 'beam', beamWidth: 3 });
    expect(loaded.tokenizers.target).toEqual(TOKENIZERS);
    expect(loaded.config.averagedFrom).toHaveLength(3);
    expect(loaded.config.files).toMatchObject({ optimizer: null, state: null });
    loaded.model.dispose();
    // no leftovers of the atomic write beside it
    expect((await readdir(root)).filter((n) => n.startsWith('.avg'))).toEqual([]);
    const again = await rejection(averageCheckpoints([parts[0]!.dir, parts[1]!.dir], out));
    expect(again.message).toContain('already holds a checkpoint; choose another folder or pass overwrite');
    await averageCheckpoints([parts[0]!.dir, parts[1]!.dir], out, { overwrite: true });
  });

  it('refuses other configurations, tokenizers, weights, duplicates and a single checkpoint', async () => {
    const a = await saved('ok', 1);
    const wide = await saved('wide', 1, toyConfig({ hiddenSize: 12 }));
    expect((await rejection(averageCheckpoints([a.dir, wide.dir], join(root, 'x')))).message).toMatch(
      /wide\/config\.json: its model configuration differs from that of .*ok \(hiddenSize 12 vs \d+\); only checkpoints of one model can be averaged/,
    );
    const otherVocab = await saved('vocab', 2, toyConfig(), { model: { vocab: { b: 0 } } });
    expect((await rejection(averageCheckpoints([a.dir, otherVocab.dir], join(root, 'x')))).message).toContain('its tokenizers differ from those of');
    const renamed = await saved('renamed', 2);
    const manifestPath = join(renamed.dir, 'weights.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    const first = manifest.weightsManifest[0].weights[0].name;
    manifest.weightsManifest[0].weights[0].name = 'stray';
    await writeFile(manifestPath, JSON.stringify(manifest));
    expect((await rejection(averageCheckpoints([a.dir, renamed.dir], join(root, 'x')))).message).toContain('holds weight "stray", which');
    expect(first).toBeTypeOf('string');
    expect((await rejection(averageCheckpoints([a.dir, a.dir], join(root, 'x')))).message).toContain('is given twice');
    expect((await rejection(averageCheckpoints([a.dir], join(root, 'x')))).message).toContain('averaging needs at least two checkpoints, got 1');
    expect((await rejection(averageCheckpoints([a.dir, renamed.dir], a.dir))).message).toContain('is one of the checkpoints being averaged');
    expect(existsSync(join(root, 'x'))).toBe(false);
  });
});

describe('train averageLast', () => {
  const examples = reverseExamples(48, 4);
  const options = (overrides: Partial<TrainOptions>): TrainOptions =>
    ({
      model: new ToyModel(toyConfig(), { seed: 3 }),
      train: examples,
      valid: examples.slice(0, 8),
      batchSize: 4,
      optimizer: { type: 'adam', learningRate: 0.01 },
      evalEvery: 3,
      maxSteps: 14,
      averageLast: 3,
      ...overrides,
    }) as TrainOptions;

  it('keeps the last N evaluation checkpoints and averages them at the end', async () => {
    const outDir = join(root, 'run');
    const summary = await train(options({ outDir }));
    // evaluations at 3, 6, 9, 12 and the final one at 14
    expect(await readdir(join(outDir, 'evals'))).toEqual(['step-12', 'step-14', 'step-9']);
    expect(summary.averaged).toMatchObject({ dir: join(outDir, 'averaged'), steps: [9, 12, 14] });
    expect(summary.averaged!.validLoss).toBeGreaterThan(0);
    // the returned model keeps its own (last) weights, not the average
    const last = await loadCheckpoint(join(outDir, 'last'), { createModel: (c) => new ToyModel(c) });
    for (const [name, v] of summary.model.namedWeights()) expect([...v.dataSync()]).toEqual([...last.model.namedWeights().get(name)!.dataSync()]);
    const avg = await loadCheckpoint(join(outDir, 'averaged'), { createModel: (c) => new ToyModel(c) });
    expect(avg.config.averagedFrom!.map((s) => s.step)).toEqual([9, 12, 14]);
    for (const m of [last.model, avg.model, summary.model]) m.dispose();
    // a fresh run into the same folder refuses the kept checkpoints, and replaces them with overwrite
    await expect(train(options({ outDir, maxSteps: 3 }))).rejects.toThrow(/already holds a checkpoint of another run/);
    const fresh = await train(options({ outDir, maxSteps: 6, overwrite: true }));
    expect(await readdir(join(outDir, 'evals'))).toEqual(['step-3', 'step-6']);
    expect(fresh.averaged!.steps).toEqual([3, 6]);
    fresh.model.dispose();
  });

  it('a resumed run goes on with the checkpoints kept before it', async () => {
    const outDir = join(root, 'resumed');
    const first = await train(options({ outDir, maxSteps: 7 }));
    expect(first.averaged!.steps).toEqual([3, 6, 7]);
    first.model.dispose();
    const rest = await train(options({ outDir, resumeFrom: outDir, maxSteps: 10, model: new ToyModel(toyConfig(), { seed: 8 }) }));
    // evaluations of the resumed run at 9 and at its end (10); 6 and 7 from the first run
    expect(rest.averaged!.steps).toEqual([7, 9, 10]);
    expect((await readdir(join(outDir, 'evals'))).sort()).toEqual(['step-10', 'step-7', 'step-9']);
    rest.model.dispose();
  });

  it('keepEvaluations keeps more checkpoints than are averaged', async () => {
    const outDir = join(root, 'keep');
    const summary = await train(options({ outDir, averageLast: 2, keepEvaluations: 4 }));
    expect((await readdir(join(outDir, 'evals'))).sort()).toEqual(['step-12', 'step-14', 'step-6', 'step-9']);
    expect(summary.averaged!.steps).toEqual([12, 14]);
    summary.model.dispose();
    const kept = await train(options({ outDir: join(root, 'keep-only'), averageLast: undefined, keepEvaluations: 2 }));
    expect(await readdir(join(root, 'keep-only', 'evals'))).toEqual(['step-12', 'step-14']);
    expect(kept.averaged).toBeNull();
    kept.model.dispose();
  });

  it('averages nothing with fewer than two evaluations, and rejects bad values', async () => {
    const one = await train(options({ outDir: join(root, 'one'), maxSteps: 2 }));
    expect(one.averaged).toBeNull();
    one.model.dispose();
    const model = new ToyModel(toyConfig());
    await expect(train(options({ model, averageLast: 1, outDir: join(root, 'bad') }))).rejects.toThrow('train option averageLast must be an integer >= 2');
    await expect(train(options({ model }))).rejects.toThrow('averageLast needs outDir');
    model.dispose();
  });
});
