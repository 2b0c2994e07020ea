import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readTrainingState } from '../src/checkpoint/index.js';
import { CheckpointError, type TrainOptions, train } from '../src/index.js';
import { scheduleOptionsFrom } from '../src/training.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-schedule-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

const examples = reverseExamples(32, 3);

function options(overrides: Partial<TrainOptions>): TrainOptions {
  return {
    model: new ToyModel(toyConfig(), { seed: 3 }),
    train: examples,
    valid: examples.slice(0, 8),
    batchSize: 4,
    seed: 5,
    optimizer: { type: 'adam', learningRate: 0.01 },
    ...overrides,
  } as TrainOptions;
}

async function rates(o: TrainOptions): Promise<{ rates: number[]; losses: number[] }> {
  const seen = { rates: [] as number[], losses: [] as number[] };
  const summary = await train({
    ...o,
    onStep: (e) => {
      seen.rates.push(e.learningRate);
      seen.losses.push(e.loss);
      return o.onStep?.(e);
    },
  });
  summary.model.dispose();
  return seen;
}

describe('warmup and decay schedules in train()', () => {
  it('cosine over steps: the rates of the steps, and a resumed run continues them exactly', async () => {
    const schedule = { type: 'cosine', warmupSteps: 2, totalSteps: 10, minLearningRate: 0.001 } as const;
    const full = await rates(options({ schedule, maxSteps: 10, evalEvery: 4 }));
    expect(full.rates.slice(0, 3)).toEqual([expect.closeTo(0.005, 12), 0.01, 0.01]);
    expect(full.rates[9]).toBeCloseTo(0.001 + 0.009 * 0.5 * (1 + Math.cos((Math.PI * 7) / 8)), 12);
    const outDir = join(root, 'cosine');
    const first = await rates(options({ schedule, maxSteps: 6, evalEvery: 4, outDir }));
    const rest = await rates(options({ schedule, maxSteps: 10, evalEvery: 4, outDir, resumeFrom: outDir, model: new ToyModel(toyConfig(), { seed: 9 }) }));
    expect([...first.rates, ...rest.rates]).toEqual(full.rates);
    expect([...first.losses, ...rest.losses]).toEqual(full.losses);
  });

  it('linear over minutes follows the training time, which a resumed run continues from its checkpoint', async () => {
    // a clock that moves 3 s per reading: the rate depends on training time only
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 3000));
    const schedule = { type: 'linear', totalMinutes: 2 } as const;
    const outDir = join(root, 'linear-minutes');
    const first = await rates(options({ schedule, maxSteps: 5, outDir }));
    expect(first.rates[0]).toBeLessThan(0.01);
    expect(first.rates.every((r, i) => i === 0 || r < first.rates[i - 1]!)).toBe(true);
    const saved = await readTrainingState(join(outDir, 'last'));
    const rest = await rates(options({ schedule, maxSteps: 10, outDir, resumeFrom: outDir, model: new ToyModel(toyConfig(), { seed: 9 }) }));
    // the resumed run starts below where the first one stopped (its time counts), not at the full rate again
    expect(rest.rates[0]).toBeLessThan(first.rates.at(-1)!);
    expect(rest.rates[0]).toBeLessThanOrEqual(0.01 * (1 - saved.elapsedMs / 120_000));
    expect(rest.rates[0]).toBeGreaterThan(0.01 * (1 - saved.elapsedMs / 120_000) - 0.002);
  });

  it('stops at the horizon with --max-minutes as the clock: the rate reaches zero when time is up', async () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 1000));
    const seen = await rates(options({ schedule: { type: 'linear', totalMinutes: 0.5 }, maxMinutes: 0.5, epochs: 100 }));
    expect(seen.rates.length).toBeGreaterThan(2);
    expect(seen.rates.at(-1)!).toBeLessThan(0.01 * 0.2);
    expect(seen.rates.at(-1)!).toBeGreaterThanOrEqual(0);
  });

  it('refuses to resume a decaying schedule with another horizon or warmup', async () => {
    const outDir = join(root, 'changed-horizon');
    await rates(options({ schedule: { type: 'linear', totalSteps: 20, warmupSteps: 2 }, maxSteps: 3, outDir }));
    const model = new ToyModel(toyConfig());
    const error = await train(options({ model, schedule: { type: 'linear', totalSteps: 40, warmupSteps: 2 }, resumeFrom: outDir })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toContain('was trained with a linear schedule of other settings (totalSteps 20, now 40)');
    model.dispose();
  });

  it('flat options give each schedule with its horizon', () => {
    expect(scheduleOptionsFrom({ schedule: 'inverse-sqrt' })).toEqual({ type: 'inverse-sqrt', warmupSteps: 1000 });
    expect(scheduleOptionsFrom({ schedule: 'cosine', warmupSteps: 5, minLearningRate: 1e-4, totalMinutes: 60 })).toEqual({
      type: 'cosine',
      warmupSteps: 5,
      minLearningRate: 1e-4,
      totalMinutes: 60,
    });
    expect(scheduleOptionsFrom({ schedule: 'linear', totalSteps: 100, minLearningRate: 0 })).toEqual({ type: 'linear', totalSteps: 100 });
  });
});
