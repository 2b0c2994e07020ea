import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { train } from '../src/index.js';
import { METRICS_FILE, type MetricsRecord, readMetricsLog } from '../src/training.js';
import { reverseExamples, ToyModel, toyConfig } from './toy-model.js';

let root: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(join(tmpdir(), 'seqloom-metrics-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const examples = reverseExamples(16, 5);
const valid = reverseExamples(4, 9);

async function run(outDir: string, options: { maxSteps: number; resume?: boolean; logEvery?: number }): Promise<number[]> {
  const model = new ToyModel(toyConfig(), { seed: 3 });
  const losses: number[] = [];
  const summary = await train({
    model,
    train: examples,
    valid,
    batchSize: 4,
    evalEvery: 3,
    epochs: 20,
    outDir,
    maxSteps: options.maxSteps,
    logEvery: options.logEvery ?? 2,
    ...(options.resume ? { resumeFrom: outDir } : {}),
    onStep: (e) => void losses.push(e.loss),
  });
  summary.model.dispose();
  return losses;
}

const steps = (records: MetricsRecord[], kind: MetricsRecord['kind']): number[] => records.filter((r) => r.kind === kind).map((r) => r.step);

describe('metrics.jsonl', () => {
  it('holds a training record every logEvery steps (mean loss since the last one) and one record per evaluation', async () => {
    const outDir = join(root, 'plain');
    const losses = await run(outDir, { maxSteps: 7 });
    const records = readMetricsLog(join(outDir, METRICS_FILE));
    expect(steps(records, 'train')).toEqual([2, 4, 6]);
    expect(steps(records, 'eval')).toEqual([3, 6, 7]);
    const second = records.find((r) => r.kind === 'train' && r.step === 4)!;
    expect(second).toMatchObject({ steps: 2, epoch: 0 });
    if (second.kind !== 'train') throw new Error('expected a training record');
    expect(second.loss).toBeCloseTo((losses[2]! + losses[3]!) / 2, 5);
    expect(second.learningRate).toBe(1e-3);
    expect(second.tokensPerSecond).toBeGreaterThan(0);
    expect(second.gradNorm).toBeGreaterThan(0);
    expect(second.elapsedSeconds).toBeGreaterThan(0);
    const evaluation = records.find((r) => r.kind === 'eval')!;
    if (evaluation.kind !== 'eval') throw new Error('expected an evaluation record');
    expect(evaluation.perplexity).toBeCloseTo(Math.exp(evaluation.loss), 5);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0);
    expect(evaluation.isBest).toBe(true);
    // every line is standalone JSON (jq, pandas read_json(lines=True))
    const text = await readFile(join(outDir, METRICS_FILE), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('continues on resume without duplicated or missing steps: records past the checkpoint and a torn line are dropped', async () => {
    const outDir = join(root, 'resumed');
    await run(outDir, { maxSteps: 3 }); // checkpoint at step 3 (an evaluation)
    // a crash after the checkpoint: records of steps the checkpoint does not hold, and a half-written line
    await appendFile(join(outDir, METRICS_FILE), '{"kind":"train","step":4,"epoch":1,"loss":1}\n{"kind":"train","st');
    await run(outDir, { maxSteps: 9, resume: true });
    const records = readMetricsLog(join(outDir, METRICS_FILE));
    expect(steps(records, 'train')).toEqual([2, 4, 6, 8]);
    expect(steps(records, 'eval')).toEqual([3, 6, 9]);
    expect(records.find((r) => r.step === 4 && r.kind === 'train')).toMatchObject({ steps: 1 });
    const straight = join(root, 'straight');
    await run(straight, { maxSteps: 9 });
    const evalLoss = (rs: MetricsRecord[]) => rs.filter((r) => r.kind === 'eval').map((r) => r.loss);
    expect(evalLoss(records)).toEqual(evalLoss(readMetricsLog(join(straight, METRICS_FILE))));
  });

  it('skips a torn last line but names file and line of a bad line in the middle', async () => {
    const path = join(root, 'bad.jsonl');
    await writeFile(path, '{"kind":"eval","step":1}\nnot json\n{"kind":"eval","step":2}\n');
    expect(() => readMetricsLog(path)).toThrow(`${path} line 2: expected a JSON object`);
    await writeFile(path, '{"kind":"eval","step":1}\n{"kind":"ev');
    expect(readMetricsLog(path).map((r) => r.step)).toEqual([1]);
  });

  it('rejects a bad logEvery, naming the option', async () => {
    const model = new ToyModel(toyConfig());
    await expect(train({ model, train: examples, logEvery: 0, outDir: join(root, 'bad-option') })).rejects.toThrow(
      /train option logEvery must be a positive integer, got 0/,
    );
    model.dispose();
  });
});
