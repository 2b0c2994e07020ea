import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunFile, readTrainingState } from '../src/checkpoint/index.js';
import { CheckpointError, NonFiniteLossError, type TrainOptions, train } from '../src/index.js';
import type { Batch, LossOptions } from '../src/model/index.js';
import { OPTIMIZER_DEFAULTS, ResumeOptionError, resumeWithSavedOptions, TRAINING_DEFAULTS } from '../src/training.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-run-control-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const examples = reverseExamples(64, 5);

function base(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    model: new ToyModel(toyConfig(), { seed: 3 }),
    train: examples,
    batchSize: 8,
    seed: 4,
    optimizer: { type: 'adam', learningRate: 0.01 },
    ...overrides,
  };
}

/** A model whose loss is NaN from its second training step on. */
class DivergingModel extends ToyModel {
  private calls = 0;
  override loss(batch: Batch, options: LossOptions): { loss: tf.Scalar; correct: tf.Scalar } {
    const result = super.loss(batch, options);
    this.calls += 1;
    return this.calls < 2 ? result : { loss: tf.mul(result.loss, NaN), correct: result.correct };
  }
}

describe('stopping', () => {
  it('sees an abort from a timer or signal handler after the current step, not at the next evaluation', async () => {
    const controller = new AbortController();
    const summary = await train(
      base({
        epochs: 50,
        signal: controller.signal,
        // the abort arrives as a macrotask, as a signal handler does
        onStep: (e) => void (e.step === 3 && setImmediate(() => controller.abort())),
      }),
    );
    expect(summary.stopReason).toBe('aborted');
    expect(summary.steps).toBe(3);
    summary.model.dispose();
  });

  it('stops on a non-finite loss with an error that names the step and the fix, and offers other option names', async () => {
    const model = new DivergingModel(toyConfig(), { seed: 3 });
    const error = await train(base({ model, maxSteps: 5 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as NonFiniteLossError).message).toBe('the loss became NaN at step 2; lower the learning rate or set clipNorm');
    expect(NonFiniteLossError.explain(NaN, 2, { learningRate: '--lr', clipNorm: '--clip-norm' })).toBe(
      'the loss became NaN at step 2; lower --lr or set --clip-norm',
    );
    model.dispose();
  });
});

describe('output folder checks before training', () => {
  it('refuses, with overwrite, a best/ of user files before the first step', async () => {
    const outDir = join(root, 'user-files');
    await mkdir(join(outDir, 'best'), { recursive: true });
    await writeFile(join(outDir, 'best', 'notes.txt'), 'mine\n');
    let steps = 0;
    const model = new ToyModel(toyConfig());
    await expect(train(base({ model, outDir, overwrite: true, maxSteps: 2, onStep: () => void (steps += 1) }))).rejects.toThrow(
      `${join(outDir, 'best')}: is not empty and holds no seqloom checkpoint`,
    );
    expect(steps).toBe(0);
    expect((await readdir(outDir)).sort()).toEqual(['best']);
    model.dispose();
  });

  it('refuses an outDir that is a file, or lies under one', async () => {
    const file = join(root, 'afile.txt');
    await writeFile(file, 'x');
    const model = new ToyModel(toyConfig());
    await expect(train(base({ model, outDir: file, overwrite: true }))).rejects.toThrow(
      new CheckpointError(file, 'is a file, but training writes a folder of checkpoints there; choose another output folder'),
    );
    await expect(train(base({ model, outDir: join(file, 'sub') }))).rejects.toThrow(/cannot be created: .*afile\.txt is a file/);
    model.dispose();
  });
});

describe('one set of defaults', () => {
  it('uses the defaults TRAINING_DEFAULTS lists (SGD: learning rate 0.01, no momentum)', async () => {
    expect(OPTIMIZER_DEFAULTS.sgd).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
    expect(TRAINING_DEFAULTS.optimizers).toBe(OPTIMIZER_DEFAULTS);
    const rates: number[] = [];
    const summary = await train(base({ optimizer: { type: 'sgd' }, maxSteps: 1, onStep: (e) => void rates.push(e.learningRate) }));
    expect(rates).toEqual([0.01]);
    summary.model.dispose();
  });
});

describe('resume with saved options', () => {
  it('writes runOptions as run.json and merges them with the options given on resume', async () => {
    const outDir = join(root, 'saved');
    const first = await train(base({ outDir, maxSteps: 2, runOptions: { hidden: 32, epochs: 3, data: 'pairs.tsv' } }));
    expect(await readRunFile(outDir)).toEqual({ hidden: 32, epochs: 3, data: 'pairs.tsv' });
    const saved = await resumeWithSavedOptions(outDir, { epochs: 5, hidden: 32 }, new Set(['hidden']));
    expect(saved.options).toEqual({ hidden: 32, epochs: 5, data: 'pairs.tsv' });
    expect(saved.outDir).toBe(outDir);
    expect(saved.point.dir).toBe(join(outDir, 'last'));
    expect(saved.point.state.step).toBe(2);
    await expect(resumeWithSavedOptions(join(outDir, 'last'), { hidden: 64 }, new Set(['hidden']))).rejects.toThrow(ResumeOptionError);
    const resumed = await train(base({ model: first.model, outDir, resumeFrom: saved.point, maxSteps: 3 }));
    expect((await readTrainingState(join(outDir, 'last'))).step).toBe(3);
    expect(resumed.steps).toBe(3);
    first.model.dispose();
  });

  it('says that a missing resume folder does not exist', async () => {
    const missing = join(root, 'nonexistent');
    await expect(resumeWithSavedOptions(missing, {})).rejects.toThrow(
      new CheckpointError(missing, 'does not exist; resume from a checkpoint folder or the output folder of a training run'),
    );
    const model = new ToyModel(toyConfig());
    await expect(train(base({ model, resumeFrom: missing }))).rejects.toThrow(`${missing}: does not exist`);
    model.dispose();
  });
});
