import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SequenceExample } from '../src/data/index.js';
import { makeBatch } from '../src/data/index.js';
import { Seq2SeqModel, setBackend, train, validateModelConfig } from '../src/index.js';
import { splitBatch, TrainingPool } from '../src/parallel/index.js';
import { createOptimizer, trainStep } from '../src/training.js';

const examples: SequenceExample[] = Array.from({ length: 9 }, (_, i) => {
  const source = Array.from({ length: 2 + (i % 5) }, (_, t) => 3 + ((i * 7 + t * 3) % 9));
  const target = [...source].reverse().slice(0, 1 + (i % 4));
  return { source, targetIn: [1, ...target], targetOut: [...target, 2] };
});
const batch = makeBatch(examples, [...examples.keys()], { padId: 0, sourcePadId: 0 });
const config = { sourceVocabSize: 12, targetVocabSize: 12, embeddingSize: 8, hiddenSize: 16, attention: 'general' as const };
const settings = { learningRate: 0.05, clipNorm: 1, loss: { training: true, seed: 3 } };

beforeAll(async () => {
  await setBackend('wasm');
});

describe('splitBatch', () => {
  it('shares rows contiguously, trims padding per shard and keeps the token count', () => {
    const shards = splitBatch(batch, 2);
    expect(shards.map((s) => s.batchSize)).toEqual([5, 4]);
    expect(shards.reduce((n, s) => n + s.tokens, 0)).toBe(batch.tokens);
    const [first] = shards;
    expect(first!.sourceLength).toBe(Math.max(...Array.from(batch.sourceLengths.slice(0, 5))));
    expect(Array.from(first!.source.slice(0, first!.sourceLength))).toEqual(Array.from(batch.source.slice(0, first!.sourceLength)));
    expect(splitBatch(batch, 20)).toHaveLength(batch.batchSize);
  });
});

describe('TrainingPool', () => {
  let pool: TrainingPool;
  let pooled: Seq2SeqModel;
  let alone: Seq2SeqModel;
  beforeAll(async () => {
    pooled = Seq2SeqModel.create(config, { seed: 8 });
    alone = Seq2SeqModel.create(config, { seed: 8 });
    pool = await TrainingPool.create(pooled, pooled.trainableWeights(), { threads: 3 });
  }, 60_000);
  afterAll(async () => {
    await pool.close();
    pooled.dispose();
    alone.dispose();
  });

  it('gives the loss, gradient norm and weights of one thread over the whole batch', async () => {
    expect(pool.threads).toBe(3);
    const optimizers = [
      createOptimizer({ type: 'adam', learningRate: 0.05 }, pooled.trainableWeights()),
      createOptimizer({ type: 'adam', learningRate: 0.05 }, alone.trainableWeights()),
    ];
    const before = tf.memory().numTensors;
    for (let step = 0; step < 4; step++) {
      const a = await pool.trainStep(pooled.trainableWeights(), optimizers[0]!, batch, settings);
      const b = await trainStep(alone, alone.trainableWeights(), optimizers[1]!, batch, settings);
      expect(a.loss).toBeCloseTo(b.loss, 4);
      expect(a.gradNorm).toBeCloseTo(b.gradNorm, 3);
    }
    expect(tf.memory().numTensors).toBe(before);
    const weightsOf = (m: Seq2SeqModel) => [...m.namedWeights()].map(([, v]) => Array.from(v.dataSync()));
    const [wa, wb] = [weightsOf(pooled), weightsOf(alone)];
    wa.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - wb[i]![j]!)).toBeLessThan(1e-4)));
    optimizers.forEach((o) => o.dispose());
  });
});

describe('train({ dataParallel })', () => {
  const run = (dataParallel: number) =>
    train({
      train: examples,
      createModel: (c) => Seq2SeqModel.create(c, { seed: 4 }),
      modelConfig: validateModelConfig(config),
      batchSize: 9,
      maxSteps: 3,
      optimizer: { type: 'adam', learningRate: 0.05 },
      dataParallel,
    });

  it('trains to the same loss on two threads as on one', async () => {
    const [one, two] = [await run(1), await run(2)];
    expect(two.steps).toBe(3);
    expect(two.lastLoss!).toBeCloseTo(one.lastLoss!, 4);
    one.model.dispose();
    two.model.dispose();
  }, 60_000);

  it('names a bad thread count', async () => {
    await expect(run(0)).rejects.toThrow(/train option dataParallel must be an integer from 1 to 16, got 0/);
  });
});
