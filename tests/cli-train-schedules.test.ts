import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('lr-schedule'));
  data = await writeLines(dir, 'pairs.tsv', reversePairs(64, 4));
});
afterAll(() => cleanup());

const oneLine = (text: string) => text.trim().split('\n').at(-1)!;
const stepRates = (stdout: string) =>
  jsonLines(stdout)
    .filter((e) => e.event === 'step')
    .map((e) => e.learningRate as number);
const savedSchedule = async (out: string) => JSON.parse(await readFile(join(out, 'last', 'config.json'), 'utf8')).training.schedule;

describe('seqloom train --lr-schedule', () => {
  it("cosine with warmup decays over the run's steps (--epochs × batches) down to --min-lr", async () => {
    const out = join(dir, 'cosine');
    const run = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      out,
      ...TINY_MODEL,
      '--epochs',
      '2',
      '--lr',
      '0.01',
      '--lr-schedule',
      'cosine',
      '--warmup-steps',
      '2',
      '--min-lr',
      '0.001',
      '--log-json',
    ]);
    expect(run.code).toBe(0);
    const rates = stepRates(run.stdout);
    const total = rates.length; // 61 training pairs in batches of 16, two epochs
    expect(total).toBe(8);
    expect(await savedSchedule(out)).toEqual({ type: 'cosine', warmupSteps: 2, minLearningRate: 0.001, totalSteps: 8 });
    expect(rates[0]).toBeCloseTo(0.005, 12);
    expect(rates[1]).toBe(0.01);
    expect(rates[7]).toBeCloseTo(0.001 + 0.009 * 0.5 * (1 + Math.cos((Math.PI * 5) / 6)), 12);
  });

  it('linear over --max-minutes decays with training time, and inverse-sqrt warms up', async () => {
    const linear = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      join(dir, 'linear'),
      ...TINY_MODEL,
      '--lr',
      '0.01',
      '--lr-schedule',
      'linear',
      '--max-minutes',
      '10',
      '--max-steps',
      '4',
      '--lr-decay-over',
      'minutes',
      '--log-json',
    ]);
    expect(linear.code).toBe(0);
    const rates = stepRates(linear.stdout);
    expect(rates.every((r, i) => r <= 0.01 && (i === 0 || r < rates[i - 1]!))).toBe(true);
    expect(rates.at(-1)!).toBeGreaterThan(0.009); // seconds of a 10-minute budget
    expect(await savedSchedule(join(dir, 'linear'))).toEqual({ type: 'linear', totalMinutes: 10 });
    const inv = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      join(dir, 'inv'),
      ...TINY_MODEL,
      '--lr',
      '0.01',
      '--lr-schedule',
      'inverse-sqrt',
      '--warmup-steps',
      '2',
      '--max-steps',
      '5',
      '--log-json',
    ]);
    expect(stepRates(inv.stdout).map((r) => r.toFixed(6))).toEqual(['0.005000', '0.010000', '0.008165', '0.007071', '0.006325']);
  });

  const failures: [string, string[], string][] = [
    [
      '--warmup-steps with a schedule without warmup',
      ['--warmup-steps', '10'],
      '--warmup-steps applies to --lr-schedule inverse-sqrt, cosine or linear, not constant',
    ],
    [
      'both limits and no --lr-decay-over',
      ['--lr-schedule', 'cosine', '--max-steps', '5', '--max-minutes', '1'],
      '--lr-schedule cosine decays over --max-steps or --max-minutes, and both are given; choose one with --lr-decay-over steps|minutes',
    ],
    [
      '--lr-decay-over minutes without --max-minutes',
      ['--lr-schedule', 'linear', '--lr-decay-over', 'minutes'],
      '--lr-decay-over minutes needs --max-minutes: the linear schedule decays over that time budget',
    ],
    [
      'a warmup as long as the run',
      ['--lr-schedule', 'linear', '--max-steps', '3', '--warmup-steps', '3'],
      '--warmup-steps 3 leaves no steps to decay over: the run has 3 steps (--max-steps, --epochs); lower --warmup-steps',
    ],
    [
      'inverse-sqrt without warmup',
      ['--lr-schedule', 'inverse-sqrt', '--warmup-steps', '0'],
      '--warmup-steps must be at least 1 for --lr-schedule inverse-sqrt (the rate peaks after the warmup)',
    ],
  ];
  for (const [what, flags, message] of failures) {
    it(`refuses ${what}`, async () => {
      const run = await seqloomInProcess(['train', '--data', data, '--out', join(dir, 'refused'), ...TINY_MODEL, ...flags]);
      expect(run.code).toBe(2);
      expect(oneLine(run.stderr)).toBe(`seqloom: ${message}`);
    });
  }
});

describe('seqloom train --eval-every-minutes', () => {
  it('evaluates on the clock instead of once per epoch, and records the period', async () => {
    const out = join(dir, 'clock');
    // a period far longer than the run: no evaluation until the final one
    const run = await seqloomInProcess(['train', '--data', data, '--out', out, ...TINY_MODEL, '--epochs', '3', '--eval-every-minutes', '30', '--log-json']);
    expect(run.code).toBe(0);
    const evals = jsonLines(run.stdout)
      .filter((e) => e.event === 'eval')
      .map((e) => e.step);
    expect(evals).toEqual([12]);
    const config = JSON.parse(await readFile(join(out, 'last', 'config.json'), 'utf8'));
    expect(config.training.evalEveryMinutes).toBe(30);
    const tiny = await seqloomInProcess(['train', '--data', data, '--out', join(dir, 'clock-0'), ...TINY_MODEL, '--eval-every-minutes', '0']);
    expect(tiny.code).toBe(2);
    expect(oneLine(tiny.stderr)).toMatch(/--eval-every-minutes/);
  });
});
