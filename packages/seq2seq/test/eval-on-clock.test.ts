import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readTrainingState } from '../src/checkpoint/index.js';
import { type TrainOptions, train } from '../src/index.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-clock-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

const examples = reverseExamples(64, 8);

/** The step event reads the clock a few readings before the evaluation check does. */
const SLACK = 5_000;

/** Trains with a clock that moves `msPerReading` on every reading; returns the training time of each evaluation. */
async function evalTimes(overrides: Partial<TrainOptions>, msPerReading: number): Promise<{ at: number[]; steps: number[]; lastStep: number }> {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (now += msPerReading));
  const elapsedOfStep = new Map<number, number>();
  const at: number[] = [];
  const steps: number[] = [];
  const summary = await train({
    model: new ToyModel(toyConfig(), { seed: 3 }),
    train: examples,
    valid: examples.slice(0, 8),
    batchSize: 4,
    epochs: 50,
    onStep: (e) => void elapsedOfStep.set(e.step, e.elapsedMs),
    onEval: (e) => {
      steps.push(e.step);
      at.push(elapsedOfStep.get(e.step)!);
    },
    ...overrides,
  });
  summary.model.dispose();
  return { at, steps, lastStep: summary.steps };
}

describe('evalEveryMinutes', () => {
  it('evaluates once per period of training time, not per epoch, and once more at the end', async () => {
    // 1 s per clock reading; evaluate every 0.5 min = 30 s; stop after 2 min
    const { at, steps, lastStep } = await evalTimes({ evalEveryMinutes: 0.5, maxMinutes: 2 }, 1000);
    // 16 batches per epoch: per-epoch evaluations would fall on multiples of 16
    expect(at.length).toBeGreaterThanOrEqual(4);
    expect(at.length).toBeLessThanOrEqual(5);
    at.slice(0, -1).forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual((i + 1) * 30_000 - SLACK);
      expect(ms).toBeLessThan((i + 2) * 30_000);
    });
    expect(steps.at(-1)).toBe(lastStep);
  });

  it('with evalEvery too, whichever comes due first', async () => {
    const both = await evalTimes({ evalEveryMinutes: 1, evalEvery: 5, maxSteps: 40 }, 100);
    // 40 steps take well under a minute of this clock: only the step rule fires
    expect(both.steps).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
  });

  it('a resumed run keeps to the clock of the saved training time', async () => {
    const outDir = join(root, 'resumed');
    const first = await evalTimes({ evalEveryMinutes: 0.5, maxMinutes: 0.7, outDir }, 1000);
    const saved = (await readTrainingState(join(outDir, 'last'))).elapsedMs;
    expect(saved).toBeGreaterThanOrEqual(42_000);
    const rest = await evalTimes({ evalEveryMinutes: 0.5, maxMinutes: 1.6, outDir, resumeFrom: outDir }, 1000);
    expect(first.at[0]).toBeGreaterThanOrEqual(30_000 - SLACK);
    // next multiples of 30 s after the saved time: 60 s and 90 s of training time
    expect(rest.at[0]).toBeGreaterThanOrEqual(60_000 - SLACK);
    expect(rest.at[0]).toBeLessThan(90_000 - SLACK);
    expect(rest.at[1]).toBeGreaterThanOrEqual(90_000 - SLACK);
  });

  it('rejects a bad period', async () => {
    const model = new ToyModel(toyConfig());
    await expect(train({ model, train: examples, evalEveryMinutes: 0 })).rejects.toThrow('train option evalEveryMinutes must be a positive number, got 0');
    model.dispose();
  });
});
