import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CellType, Seq2SeqModel, setBackend } from '../src/index.js';
import { analyticGrads, lossValue } from './support/fixtures.js';
import { makeBatch } from './support/reverse-task.js';
import { TEST_BACKEND } from './support/test-backend.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const base = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6, layers: 2 };
const sources = [[3, 4, 5, 6, 7], [7, 3], [5, 5, 4], [6]];
const targets = [[4, 5], [7, 8, 9, 10, 4], [3], [6, 7, 8]];

/**
 * A batch of rows of different lengths (so layers skip padded steps and sort
 * rows) gives the same loss and gradients as each row alone (no padding at
 * all), weighted by its share of the target tokens.
 */
describe('packed layers in a whole model', () => {
  const cases: [CellType, boolean, 'none' | 'general'][] = [
    ['lstm', false, 'none'],
    ['lstm', true, 'general'],
    ['gru', true, 'none'],
    ['rnn', false, 'general'],
  ];
  for (const [cell, bidirectional, attention] of cases) {
    it(`${cell}${bidirectional ? ', bidirectional' : ''}, attention ${attention}: batch loss and gradients equal the token-weighted rows alone`, () => {
      const model = Seq2SeqModel.create({ ...base, cell, bidirectional, attention }, { seed: 8 });
      const before = tf.memory().numTensors;
      const batch = makeBatch(sources, targets);
      const alone = sources.map((source, i) => makeBatch([source], [targets[i]!]));
      const weights = alone.map((b) => b.tokens / batch.tokens);
      const loss = alone.reduce((sum, b, i) => sum + weights[i]! * lossValue(model, b), 0);
      expect(lossValue(model, batch)).toBeCloseTo(loss, 5);
      const batchGrads = analyticGrads(model, batch);
      const rowGrads = alone.map((b) => analyticGrads(model, b));
      for (const [name, grad] of batchGrads) {
        grad.forEach((g, k) => {
          const want = rowGrads.reduce((sum, grads, i) => sum + weights[i]! * (grads.get(name)?.[k] ?? 0), 0);
          expect(Math.abs(g - want)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want)));
        });
      }
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }
});
