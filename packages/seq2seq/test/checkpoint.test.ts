import { mkdir, mkdtemp, readdir, readFile, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION, readOptimizerState, resolveCheckpointDir, writeDirAtomic } from '../src/checkpoint/index.js';
import { makeBatch } from '../src/data/index.js';
import { CheckpointError, loadCheckpoint, saveCheckpoint, train } from '../src/index.js';
import { createOptimizer } from '../src/training.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const createModel = (c: ReturnType<typeof toyConfig>) => new ToyModel(c, { seed: 1234 });
const examples = reverseExamples(16, 5);
const batch = makeBatch(
  examples,
  examples.map((_, i) => i),
  { padId: 0, sourcePadId: 0 },
);
const evalLoss = (model: ToyModel): number => tf.tidy(() => model.loss(batch, { training: false }).loss.dataSync()[0]);

/** A trained checkpoint folder to corrupt in each error test. */
async function trainedCheckpoint(name: string): Promise<string> {
  const outDir = join(root, name);
  const summary = await train({
    model: new ToyModel(toyConfig(), { seed: 3 }),
    train: examples,
    batchSize: 4,
    maxSteps: 4,
    outDir,
    tokenizers: { target: { toJSON: () => ({ model: { type: 'WordLevel' } }) }, source: { version: '1.0' } },
    generation: { strategy: 'beam', beamWidth: 4 },
  });
  summary.model.dispose();
  return join(outDir, 'last');
}

describe('checkpoints', () => {
  it('save → load rebuilds the model from the folder alone with the same outputs', async () => {
    const model = new ToyModel(toyConfig(), { seed: 3 });
    const dir = join(root, 'roundtrip');
    await saveCheckpoint(dir, { model, tokenizers: { target: { vocab: { a: 0 } } } });
    const loaded = await loadCheckpoint(dir, { createModel });
    expect(evalLoss(loaded.model)).toBe(evalLoss(model));
    for (const [name, w] of model.namedWeights()) {
      expect(loaded.model.namedWeights().get(name)!.dataSync()).toEqual(w.dataSync());
    }
    expect(loaded.tokenizers).toEqual({ target: { vocab: { a: 0 } } });
    expect(loaded.generation).toEqual(DEFAULT_GENERATION);
    expect(loaded.state).toBeUndefined();
    expect(loaded.config.formatVersion).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'generation.json', 'tokenizer.json', 'weights.bin', 'weights.json']);
    model.dispose();
    loaded.model.dispose();
  });

  it('a training checkpoint holds every part, and an output folder resolves to best/ or last/', async () => {
    const dir = await trainedCheckpoint('full');
    expect((await readdir(dir)).sort()).toEqual([
      'config.json',
      'generation.json',
      'optimizer.bin',
      'optimizer.json',
      'source-tokenizer.json',
      'state.json',
      'tokenizer.json',
      'weights.bin',
      'weights.json',
    ]);
    const loaded = await loadCheckpoint(join(root, 'full'), { createModel, prefer: 'last' });
    expect(loaded.dir).toBe(dir);
    expect(loaded.tokenizers).toEqual({ target: { model: { type: 'WordLevel' } }, source: { version: '1.0' } });
    expect(loaded.generation).toEqual({ strategy: 'beam', beamWidth: 4 });
    expect(loaded.state).toMatchObject({ step: 4, epoch: 1, batchInEpoch: 0 });
    expect(loaded.config.training).toMatchObject({ batchSize: 4, maxSteps: 4, seed: 42 });
    const { options, state } = await readOptimizerState(dir);
    expect(options.type).toBe('adam');
    expect(state.iterations).toBe(4);
    expect(state.slots.size).toBe(8);
    for (const t of state.slots.values()) t.dispose();
    loaded.model.dispose();
    await expect(resolveCheckpointDir(join(root, 'nothing-here'))).rejects.toThrow(/config.json: missing; expected a checkpoint folder/);
  });

  it('writes atomically: a failed write leaves the old checkpoint, a new one replaces it whole', async () => {
    const dir = join(root, 'atomic');
    await writeDirAtomic(dir, async (t) => writeFile(join(t, 'a.txt'), 'old'));
    await expect(
      writeDirAtomic(dir, async (t) => {
        await writeFile(join(t, 'a.txt'), 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('old');
    await writeDirAtomic(dir, async (t) => writeFile(join(t, 'b.txt'), 'new'));
    expect(await readdir(dir)).toEqual(['b.txt']);
    expect((await readdir(root)).filter((n) => n.startsWith('.atomic'))).toEqual([]);
  });

  it('recovers from a writer that crashed between its renames, dropping its temporary folder', async () => {
    const dir = join(root, 'crashed');
    await writeDirAtomic(dir, async (t) => writeFile(join(t, 'a.txt'), 'old'));
    // Simulate the crash: old folder renamed away, new one still temporary.
    await rename(dir, join(root, '.crashed.old-1-aa'));
    await mkdir(join(root, '.crashed.tmp-1-aa'));
    await expect(
      writeDirAtomic(dir, async (t) => {
        expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('old');
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await readdir(root)).filter((n) => n.startsWith('.crashed'))).toEqual([]);
  });

  const corruptions: [string, (dir: string) => Promise<void>, RegExp][] = [
    ['missing weights.bin', (d) => unlink(join(d, 'weights.bin')), /weights\.bin: missing; .*weights\.json refers to it/],
    ['truncated weights.bin', (d) => truncate(join(d, 'weights.bin'), 10), /weights\.bin: holds 10 bytes but .* describes \d+; the file is truncated/],
    ['truncated config.json', async (d) => truncate(join(d, 'config.json'), 20), /config\.json: not valid JSON \(truncated or corrupt\)/],
    ['missing tokenizer.json', (d) => unlink(join(d, 'tokenizer.json')), /tokenizer\.json: missing; the checkpoint is incomplete/],
    ['missing state.json', (d) => unlink(join(d, 'state.json')), /state\.json: missing/],
    [
      'another format version',
      async (d) => edit(d, 'config.json', (c) => ({ ...c, formatVersion: 3 })),
      /config\.json: checkpoint format version 3; this seqloom reads version 2 \(and older ones down to 1\)/,
    ],
    [
      'a bad model config',
      async (d) => edit(d, 'config.json', (c) => ({ ...c, model: { ...(c.model as object), cell: 'transformer' } })),
      /config\.json: model\.cell is "transformer"; expected "lstm" \| "gru" \| "rnn"/,
    ],
    ['a renamed weight', async (d) => edit(d, 'weights.json', renameFirstWeight), /weights\.json: has no weight "source\/embedding"/],
    ['a corrupt state.json', async (d) => edit(d, 'state.json', (s) => ({ ...s, step: 'x' })), /state\.json: "step" is missing or not a number/],
  ];

  it('names state.json when its data position lies past the end of the epoch', async () => {
    const dir = await trainedCheckpoint('bad-position');
    await edit(dir, 'state.json', (s) => ({ ...s, batchInEpoch: 4 }));
    const model = new ToyModel(toyConfig());
    await expect(train({ model, train: examples, batchSize: 4, resumeFrom: dir })).rejects.toThrow(
      /state\.json: "batchInEpoch" is 4 but an epoch of these examples has 4 batches/,
    );
    model.dispose();
  });
  for (const [what, corrupt, message] of corruptions) {
    it(`names the file for ${what}`, async () => {
      const dir = await trainedCheckpoint(`bad-${what.replace(/\W+/g, '-')}`);
      await corrupt(dir);
      const before = tf.memory().numTensors;
      const error = await loadCheckpoint(dir, { createModel }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointError);
      expect((error as Error).message).toMatch(message);
      expect((error as CheckpointError).file.startsWith(dir)).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('refuses to resume with another model configuration or other data', async () => {
    const dir = await trainedCheckpoint('resume-mismatch');
    const other = new ToyModel(toyConfig({ hiddenSize: 99 }));
    await expect(train({ model: other, train: examples, resumeFrom: dir })).rejects.toThrow(/config\.json: its model configuration differs/);
    await expect(train({ model: new ToyModel(toyConfig()), train: examples.slice(1), resumeFrom: dir })).rejects.toThrow(
      /state\.json: was trained on other data/,
    );
    await expect(
      train({ model: new ToyModel(toyConfig()), train: examples, resumeFrom: dir, batchSize: 4, optimizer: { type: 'sgd', momentum: 0.9 } }),
    ).rejects.toThrow(/optimizer\.json: optimizer state is for "adam" but this run.s optimizer is "sgd"/);
    other.dispose();
  });

  it('saves optimizer state that a new optimizer restores exactly', async () => {
    const model = new ToyModel(toyConfig(), { seed: 8 });
    const optimizer = createOptimizer({ type: 'adam' }, model.namedWeights());
    tf.tidy(() => optimizer.apply(new Map([...model.namedWeights()].map(([n, w]) => [n, tf.onesLike(w)])), 0.1));
    const dir = join(root, 'opt');
    await mkdir(dir, { recursive: true });
    await saveCheckpoint(join(dir, 'c'), { model, optimizer });
    const { state } = await readOptimizerState(join(dir, 'c'));
    const saved = optimizer.getState();
    for (const [name, slot] of saved.slots) expect(state.slots.get(name)!.dataSync()).toEqual(slot.dataSync());
    for (const t of [...state.slots.values(), ...saved.slots.values()]) t.dispose();
    optimizer.dispose();
    model.dispose();
  });
});

async function edit(dir: string, file: string, change: (value: Record<string, unknown>) => unknown): Promise<void> {
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(change(JSON.parse(await readFile(path, 'utf8')))));
}

function renameFirstWeight(manifest: Record<string, unknown>): unknown {
  const groups = manifest.weightsManifest as { weights: { name: string }[] }[];
  groups[0].weights[0].name = 'renamed';
  return manifest;
}
