import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Seq2SeqModel, setBackend } from '../src/index.js';
import { TEST_BACKEND } from './support/test-backend.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

// targetVocabSize 12: one row (12 > 4·1) projects each step; four rows (12 ≤ 4·4) use the input table.
const config = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6, attention: 'none' as const, layers: 2 };

async function run(model: Seq2SeqModel, sources: number[][], tokens: number[][]): Promise<Float32Array[]> {
  const stepModel = model.asStepModel();
  let state = await stepModel.start(sources);
  const out: Float32Array[] = [];
  for (const previous of tokens) {
    const result = await stepModel.step(state, Int32Array.from(previous));
    out.push(result.logits.slice(0, 12)); // row 0
    state = stepModel.reorder(result.state, Int32Array.from(sources.keys()));
  }
  stepModel.dispose(state);
  return out;
}

describe('decoder input table (small vocabularies)', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}: row logits equal the per-step projection's, and nothing leaks`, async () => {
      const model = Seq2SeqModel.create({ ...config, cell }, { seed: 8 });
      const before = tf.memory().numTensors;
      const alone = await run(model, [[3, 4, 5]], [[1], [7], [9]]);
      const batched = await run(
        model,
        [[3, 4, 5], [6, 7], [8, 9, 10, 11], [5]],
        [
          [1, 1, 1, 1],
          [7, 3, 4, 5],
          [9, 2, 2, 2],
        ],
      );
      expect(tf.memory().numTensors).toBe(before);
      alone.forEach((logits, t) => logits.forEach((v, i) => expect(batched[t]![i]).toBeCloseTo(v, 4)));
      model.dispose();
    });
  }
});
