import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointError, loadCheckpoint, type ModelConfig, Seq2SeqModel, train } from '../src/index.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-resume-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const examples = reverseExamples(16, 5);

/** A checkpoint stopped mid-epoch (batch 2 of 4). */
async function midEpoch(name: string): Promise<string> {
  const outDir = join(root, name);
  const summary = await train({ model: new ToyModel(toyConfig(), { seed: 3 }), train: examples, batchSize: 4, maxSteps: 2, outDir });
  summary.model.dispose();
  return outDir;
}

async function rejection(promise: Promise<unknown>): Promise<CheckpointError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}

describe('resuming with other training options', () => {
  for (const [option, given, saved] of [
    ['batchSize', 8, 4],
    ['seed', 7, 42],
    ['bucketChunk', 2, 16],
  ] as const) {
    it(`refuses another ${option}, naming config.json, both values and the fix`, async () => {
      const dir = await midEpoch(`changed-${option}`);
      const model = new ToyModel(toyConfig());
      const error = await rejection(train({ model, train: examples, batchSize: 4, [option]: given, maxSteps: 4, resumeFrom: dir }));
      expect(error.file).toBe(join(dir, 'last', 'config.json'));
      expect(error.message).toContain(`was trained with ${option} ${saved}, but this run has ${option} ${given}`);
      expect(error.message).toContain(`resume with ${option}: ${saved} (or start a fresh run without resumeFrom)`);
      model.dispose();
    });
  }

  it('refuses another schedule type; accepts other stopping options and continues', async () => {
    const dir = await midEpoch('safe-changes');
    const model = new ToyModel(toyConfig());
    const error = await rejection(train({ model, train: examples, batchSize: 4, resumeFrom: dir, schedule: { type: 'step', every: 2 } }));
    expect(error.message).toMatch(/schedule type "constant", but this run has "step"/);
    const steps: number[] = [];
    const summary = await train({
      model,
      train: examples,
      batchSize: 4,
      resumeFrom: dir,
      outDir: dir,
      epochs: 3,
      maxSteps: 5,
      maxMinutes: 10,
      onStep: (e) => void steps.push(e.step),
    });
    expect(steps).toEqual([3, 4, 5]);
    expect(summary.stopReason).toBe('maxSteps');
    model.dispose();
  });

  it('names optimizer.json when the optimizer type differs', async () => {
    const dir = await midEpoch('other-optimizer');
    const model = new ToyModel(toyConfig());
    const error = await rejection(train({ model, train: examples, batchSize: 4, resumeFrom: dir, optimizer: { type: 'rmsprop' } }));
    expect(error.file).toBe(join(dir, 'last', 'optimizer.json'));
    expect(error.message).toMatch(/optimizer state is for "adam" but this run's optimizer is "rmsprop"; resume with optimizer type "adam"/);
    model.dispose();
  });
});

describe('frozen weights in checkpoints', () => {
  const config: Partial<ModelConfig> = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 4 };
  const matrix = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i));

  it('records frozen pretrained embeddings and re-applies them on resume through createModel and on load', async () => {
    const outDir = join(root, 'frozen');
    const model = Seq2SeqModel.create(config, { seed: 1, targetEmbedding: { matrix, trainable: false } });
    const first = await train({ model, train: examples, batchSize: 4, maxSteps: 2, outDir });
    const saved = JSON.parse(await readFile(join(outDir, 'last', 'config.json'), 'utf8')) as { frozen?: string[] };
    expect(saved.frozen).toEqual(['decoder/embedding']);
    first.model.dispose();
    const resumed = await train({
      createModel: (c) => Seq2SeqModel.create(c, { seed: 9 }),
      train: examples,
      batchSize: 4,
      maxSteps: 4,
      outDir,
      resumeFrom: outDir,
    });
    expect(resumed.steps).toBe(4);
    const resumedModel = resumed.model as Seq2SeqModel;
    expect([...resumedModel.frozen]).toEqual(['decoder/embedding']);
    expect(resumedModel.namedWeights().get('decoder/embedding')!.dataSync()).toEqual(matrix);
    resumed.model.dispose();
    const loaded = await loadCheckpoint(outDir, { createModel: (c) => Seq2SeqModel.create(c), prefer: 'last' });
    expect([...loaded.model.frozen]).toEqual(['decoder/embedding']);
    expect(loaded.model.namedWeights().get('decoder/embedding')!.trainable).toBe(false);
    loaded.model.dispose();
  });

  it('refuses a model that freezes a weight the checkpoint trained; optimizer mismatches name optimizer.json', async () => {
    const dir = await midEpoch('frozen-mismatch');
    const frozenModel = new ToyModel(toyConfig(), { frozen: ['target/embedding'] });
    const error = await rejection(train({ model: frozenModel, train: examples, batchSize: 4, resumeFrom: dir }));
    expect(error.message).toMatch(/config\.json: the checkpoint trained target\/embedding, which this model freezes/);
    frozenModel.dispose();
    const manifestPath = join(dir, 'last', 'optimizer.json');
    await writeFile(manifestPath, (await readFile(manifestPath, 'utf8')).replaceAll('output/bias/m', 'output/bias/x'));
    const model = new ToyModel(toyConfig());
    const slotError = await rejection(train({ model, train: examples, batchSize: 4, resumeFrom: dir }));
    expect(slotError.file).toBe(manifestPath);
    expect(slotError.message).toMatch(/has no slot "output\/bias\/m"; the weights being trained differ/);
    model.dispose();
  });
});
