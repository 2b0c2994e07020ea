import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT_VERSION, readTrainingState } from '../src/checkpoint/index.js';
import { migrateTrainingState } from '../src/checkpoint/migrate-training-state.js';
import { deriveSeed } from '../src/data/index.js';
import { CheckpointError, loadCheckpoint, train } from '../src/index.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-migrate-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const examples = reverseExamples(16, 5); // 4 batches of 4 per epoch

/** Trains `steps` steps into root/name and marks last/ as written by format version 1. */
async function formatOneCheckpoint(name: string, steps: number): Promise<string> {
  const outDir = join(root, name);
  const summary = await train({ model: new ToyModel(toyConfig(), { seed: 3 }), train: examples, batchSize: 4, maxSteps: steps, outDir });
  summary.model.dispose();
  const file = join(outDir, 'last', 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...config, formatVersion: 1 }));
  return outDir;
}

async function resumedLosses(dir: string): Promise<number[]> {
  const losses: number[] = [];
  const model = new ToyModel(toyConfig());
  await train({ model, train: examples, batchSize: 4, maxSteps: 6, resumeFrom: dir, onStep: (e) => void losses.push(e.loss) });
  model.dispose();
  return losses;
}

describe('checkpoints of format version 1 (sfc32 generator state)', () => {
  it('writes format version 2', () => {
    expect(CHECKPOINT_FORMAT_VERSION).toBe(2);
  });

  it('converts the saved generator state deterministically at an epoch boundary, and leaves version 2 alone', () => {
    const saved = { rng: [11, 22, 33, 44] as [number, number, number, number], epoch: 1, batchInEpoch: 0 };
    const migrated = migrateTrainingState(saved, 1, '/m/last');
    expect(migrated.rng).toEqual(createRng(deriveSeed(11, 22, 33, 44)).getState());
    expect(migrated.rng).not.toEqual(saved.rng);
    expect(migrateTrainingState(saved, 1, '/m/last')).toEqual(migrated);
    expect(migrateTrainingState(saved, 2, '/m/last')).toBe(saved);
  });

  it('still loads for inference', async () => {
    const dir = await formatOneCheckpoint('inference', 2);
    const loaded = await loadCheckpoint(join(dir, 'last'), { createModel: (config) => new ToyModel(config) });
    expect(loaded.config.formatVersion).toBe(1);
    loaded.model.dispose();
  });

  it('resumes from an epoch boundary, the same way every time', async () => {
    const dir = await formatOneCheckpoint('boundary', 4);
    const state = await readTrainingState(join(dir, 'last'));
    expect([state.epoch, state.batchInEpoch]).toEqual([1, 0]);
    const first = await resumedLosses(dir);
    expect(first).toHaveLength(2);
    expect(await resumedLosses(dir)).toEqual(first);
  });

  it('refuses to resume from within an epoch, naming config.json, the format version and what to do', async () => {
    const dir = await formatOneCheckpoint('mid-epoch', 2);
    const error = await resumedLosses(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).file).toBe(join(dir, 'last', 'config.json'));
    expect((error as CheckpointError).message).toContain('checkpoint format version 1 stopped within epoch 1 (at batch 2)');
    expect((error as CheckpointError).message).toContain('Resume it with the seqloom version that wrote it');
  });
});
