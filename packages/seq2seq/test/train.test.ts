import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrainingState } from '../src/checkpoint/index.js';
import { loadCheckpoint, type TrainOptions, type TrainStepEvent, train } from '../src/index.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const trainData = reverseExamples(96, 7);
const validData = reverseExamples(24, 99);

function base(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    model: 'model' in overrides ? overrides.model : new ToyModel(toyConfig(), { seed: 3 }),
    train: trainData,
    valid: validData,
    batchSize: 8,
    bucketChunk: 4,
    epochs: 3,
    seed: 11,
    optimizer: { type: 'adam', learningRate: 0.01 },
    ...overrides,
  } as TrainOptions;
}

async function losses(options: TrainOptions): Promise<{ losses: number[]; summary: Awaited<ReturnType<typeof train>> }> {
  const seen: number[] = [];
  const summary = await train({ ...options, onStep: (e) => void seen.push(e.loss) });
  return { losses: seen, summary };
}

describe('train', () => {
  it('lowers the validation loss and reports steps, evaluations and checkpoints', async () => {
    const events: TrainStepEvent[] = [];
    const evals: number[] = [];
    const checkpoints: string[] = [];
    const outDir = join(root, 'basic');
    const summary = await train(
      base({
        outDir,
        onStep: (e) => void events.push(e),
        onEval: (e) => void evals.push(e.loss),
        onCheckpoint: (e) => void checkpoints.push(`${e.kind}@${e.step}`),
      }),
    );
    expect(summary.stopReason).toBe('epochs');
    expect(summary.steps).toBe(36); // 96 / 8 batches × 3 epochs
    expect(events.map((e) => e.step)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(events.every((e) => e.tokensPerSecond > 0 && e.learningRate === 0.01 && e.totalSteps === 36)).toBe(true);
    expect(events[13]).toMatchObject({ epoch: 1, batchInEpoch: 2, batchesPerEpoch: 12 });
    expect(evals).toHaveLength(3);
    expect(evals[2]).toBeLessThan(evals[0]);
    expect(summary.finalMetrics!.perplexity).toBeCloseTo(Math.exp(summary.finalMetrics!.loss), 5);
    expect(checkpoints).toContain('last@36');
    expect(checkpoints).toContain('best@12');
    expect((await readdir(outDir)).sort()).toEqual(['best', 'last', 'metrics.jsonl']);
    summary.model.dispose();
  });

  it('gives the same losses step for step with the same seed and data', async () => {
    const a = await losses(base({ maxSteps: 15 }));
    const b = await losses(base({ maxSteps: 15 }));
    expect(a.losses).toHaveLength(15);
    expect(b.losses).toEqual(a.losses);
    const c = await losses(base({ maxSteps: 15, seed: 12 }));
    expect(c.losses).not.toEqual(a.losses);
    for (const r of [a, b, c]) r.summary.model.dispose();
  });

  for (const optimizer of [
    { type: 'adam', learningRate: 0.01 },
    { type: 'rmsprop', learningRate: 0.005, momentum: 0.5 },
    { type: 'sgd', learningRate: 0.3, momentum: 0.9, nesterov: true },
  ] as const) {
    it(`resumed training equals uninterrupted training (${optimizer.type}, plateau schedule)`, async () => {
      const common = { optimizer, evalEvery: 5, schedule: { type: 'plateau', patience: 0, factor: 0.5 } } as const;
      const full = await losses(base({ ...common, maxSteps: 30 }));
      const outDir = join(root, `resume-${optimizer.type}`);
      const controller = new AbortController();
      // Interrupt mid-epoch at step 13 (not an evaluation point), via the abort signal.
      const part: number[] = [];
      const interrupted = await train(
        base({
          ...common,
          maxSteps: 30,
          outDir: join(outDir, 'b'),
          signal: controller.signal,
          onStep: (e) => {
            part.push(e.loss);
            if (e.step === 13) controller.abort();
          },
        }),
      );
      expect(interrupted.stopReason).toBe('aborted');
      expect((await readTrainingState(join(outDir, 'b', 'last'))).step).toBe(13);
      const rest = await losses(
        base({ ...common, maxSteps: 30, outDir: join(outDir, 'b'), resumeFrom: join(outDir, 'b'), model: new ToyModel(toyConfig(), { seed: 999 }) }),
      );
      expect([...part, ...rest.losses]).toEqual(full.losses);
      expect(rest.summary.history.map((h) => h.validLoss)).toEqual(full.summary.history.map((h) => h.validLoss));
      for (const r of [full, rest]) r.summary.model.dispose();
      interrupted.model.dispose();
    });
  }

  it('leaves the number of live tensors unchanged over many steps', async () => {
    const model = new ToyModel(toyConfig(), { seed: 3 });
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await train(base({ model, valid: validData, evalEvery: 7, maxSteps: 40, onStep: () => void counts.push(tf.memory().numTensors) }));
    // During training the optimizer's slots are live (2 per weight for Adam); they are freed at the end.
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBe(before + 2 * model.namedWeights().size);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('does not update frozen weights', async () => {
    const model = new ToyModel(toyConfig(), { seed: 3, frozen: ['source/embedding'] });
    const frozenBefore = model.namedWeights().get('source/embedding')!.arraySync();
    const movingBefore = model.namedWeights().get('output/kernel')!.arraySync();
    await train(base({ model, maxSteps: 5 }));
    expect(model.namedWeights().get('source/embedding')!.arraySync()).toEqual(frozenBefore);
    expect(model.namedWeights().get('output/kernel')!.arraySync()).not.toEqual(movingBefore);
    model.dispose();
  });

  it('stops early after `patience` evaluations without improvement and keeps the best checkpoint', async () => {
    const outDir = join(root, 'early');
    // A negligible learning rate: no evaluation after the first improves by minDelta.
    const s = await train(
      base({ outDir, optimizer: { type: 'sgd', learningRate: 1e-9 }, evalEvery: 2, epochs: 50, earlyStopping: { patience: 2, minDelta: 1e-3 } }),
    );
    expect(s.stopReason).toBe('earlyStopping');
    expect(s.bestStep).toBe(2);
    expect(s.history.map((h) => h.step)).toEqual([2, 4, 6]);
    expect(s.steps).toBe(6);
    const best = await loadCheckpoint(join(outDir, 'best'), { createModel: (c) => new ToyModel(c) });
    expect(best.state!.step).toBe(s.bestStep);
    best.model.dispose();
    s.model.dispose();
  });

  it('stops on maxMinutes and on a pre-aborted signal after writing a checkpoint', async () => {
    const controller = new AbortController();
    controller.abort();
    const outDir = join(root, 'abort');
    const aborted = await train(base({ outDir, signal: controller.signal }));
    expect(aborted.stopReason).toBe('aborted');
    expect(aborted.steps).toBe(0);
    expect(aborted.lastCheckpoint).toBe(join(outDir, 'last'));
    const timed = await train(base({ maxMinutes: 1e-9 }));
    expect(timed.stopReason).toBe('maxMinutes');
    aborted.model.dispose();
    timed.model.dispose();
  });

  it('never overwrites checkpoints of another run unless asked', async () => {
    const outDir = join(root, 'keep');
    const first = await train(base({ outDir, maxSteps: 2 }));
    const model = new ToyModel(toyConfig());
    await expect(train(base({ model, outDir, maxSteps: 2 }))).rejects.toThrow(
      `${join(outDir, 'last')} already holds a checkpoint of another run; resume it with resumeFrom`,
    );
    const again = await train(base({ model, outDir, maxSteps: 3, overwrite: true }));
    expect((await readTrainingState(join(outDir, 'last'))).step).toBe(3);
    for (const m of [first.model, again.model]) m.dispose();
  });

  it('applies a step-decay schedule to the optimizer steps', async () => {
    const rates: number[] = [];
    const summary = await train(base({ maxSteps: 7, schedule: { type: 'step', every: 3, gamma: 0.1 }, onStep: (e) => void rates.push(e.learningRate) }));
    expect(rates).toEqual([0.01, 0.01, 0.01, 0.001, 0.001, 0.001, expect.closeTo(0.0001, 12)]);
    summary.model.dispose();
  });

  it('builds the model from createModel + modelConfig', async () => {
    const summary = await train(base({ model: undefined, createModel: (c) => new ToyModel(c), modelConfig: toyConfig(), maxSteps: 2 }));
    expect(summary.model).toBeInstanceOf(ToyModel);
    expect(summary.steps).toBe(2);
    summary.model.dispose();
  });

  it('rejects bad options, naming the option', async () => {
    const model = new ToyModel(toyConfig());
    await expect(train(base({ model, batchSize: 0 }))).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(train(base({ model, train: [] }))).rejects.toThrow(/train must be a non-empty array/);
    await expect(train(base({ model, labelSmoothing: 1 }))).rejects.toThrow(/labelSmoothing must be in \[0, 1\)/);
    await expect(train(base({ model, valid: undefined, earlyStopping: { patience: 1 } }))).rejects.toThrow(/earlyStopping needs validation/);
    await expect(train(base({ model, optimizer: { type: 'adam', learningRate: -1 } }))).rejects.toThrow(/optimizer.learningRate/);
    await expect(train(base({ model, schedule: { type: 'step', every: 0 } }))).rejects.toThrow(/every must be a positive integer/);
    await expect(train(base({ model: undefined }))).rejects.toThrow(/train needs `model`/);
    expect(tf.memory().numTensors).toBe(model.namedWeights().size);
    model.dispose();
  });
});
