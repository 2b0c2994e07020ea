import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AttentionType, Seq2SeqModel, setBackend } from '../src/index.js';
import { lossValue, tinyBatch } from './support/fixtures.js';
import { TEST_BACKEND } from './support/test-backend.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const base = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6 };

describe('attention weights', () => {
  for (const attention of ['dot', 'general', 'bahdanau'] as AttentionType[]) {
    it(`${attention}: every step's row is a distribution over the row's real source positions`, async () => {
      const model = Seq2SeqModel.create({ ...base, attention, bidirectional: true }, { seed: 2 });
      const stepModel = model.asStepModel();
      const sources = [
        [3, 4, 5, 6, 7],
        [8, 9],
        [10, 3, 4],
      ];
      let state = await stepModel.start(sources);
      let previous = new Int32Array(3).fill(1);
      for (let t = 0; t < 4; t++) {
        const out = await stepModel.step(state, previous);
        state = out.state;
        expect(out.attention).toBeDefined();
        const attentionRows = out.attention as Float32Array;
        expect(attentionRows.length).toBe(3 * 5);
        sources.forEach((source, r) => {
          const row = Array.from(attentionRows.subarray(r * 5, (r + 1) * 5));
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          row.forEach((w, k) => (k < source.length ? expect(w).toBeGreaterThan(0) : expect(w).toBe(0)));
        });
        previous = new Int32Array([4, 5, 6]);
      }
      stepModel.dispose(state);
      model.dispose();
    });
  }
});

describe('padding is invisible', () => {
  for (const attention of ['none', 'general'] as AttentionType[]) {
    it(`${attention}: changing padded source and target positions changes neither loss nor decoding`, async () => {
      const model = Seq2SeqModel.create({ ...base, attention, bidirectional: true, layers: 2, cell: 'lstm' }, { seed: 4 });
      const clean = tinyBatch();
      const noisy = tinyBatch();
      for (let i = 0; i < noisy.source.length; i++) if (noisy.source[i] === 0) noisy.source[i] = 9;
      for (let i = 0; i < noisy.targetIn.length; i++) {
        if (noisy.targetMask[i] === 0) {
          noisy.targetIn[i] = 11;
          noisy.targetOut[i] = 10;
        }
      }
      expect(noisy.source).not.toEqual(clean.source);
      expect(lossValue(model, noisy)).toBeCloseTo(lossValue(model, clean), 6);

      // Decoding a short source alone equals decoding it padded in a batch with a longer one.
      const stepModel = model.asStepModel();
      const alone = await stepModel.start([[7, 3]]);
      const together = await stepModel.start([
        [3, 4, 5, 6, 7],
        [7, 3],
      ]);
      const a = await stepModel.step(alone, new Int32Array([1]));
      const b = await stepModel.step(together, new Int32Array([1, 1]));
      const v = model.config.targetVocabSize;
      const rowAlone = Array.from(a.logits);
      const rowBatched = Array.from(b.logits.subarray(v, 2 * v));
      rowAlone.forEach((x, i) => expect(rowBatched[i]).toBeCloseTo(x, 5));
      stepModel.dispose(a.state);
      stepModel.dispose(b.state);
      model.dispose();
    });
  }
});

describe('StepModel reorder', () => {
  it('a reordered state steps exactly like a freshly started batch in that order', async () => {
    const model = Seq2SeqModel.create({ ...base, attention: 'bahdanau', cell: 'gru' }, { seed: 6 });
    const stepModel = model.asStepModel();
    const before = tf.memory().numTensors;
    const s1 = await stepModel.start([
      [3, 4, 5],
      [6, 7],
    ]);
    const r1 = await stepModel.step(s1, new Int32Array([1, 1]));
    const reordered = stepModel.reorder(r1.state, new Int32Array([1, 0, 1]));
    const r2 = await stepModel.step(reordered, new Int32Array([8, 9, 8]));

    const s2 = await stepModel.start([
      [6, 7],
      [3, 4, 5],
      [6, 7],
    ]);
    const q1 = await stepModel.step(s2, new Int32Array([1, 1, 1]));
    const q2 = await stepModel.step(q1.state, new Int32Array([8, 9, 8]));
    const v = model.config.targetVocabSize;
    expect(q2.logits.length).toBe(3 * v);
    Array.from(r2.logits).forEach((x, i) => expect(q2.logits[i]).toBeCloseTo(x, 4));
    stepModel.dispose(r2.state);
    stepModel.dispose(q2.state);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('rejects misuse with errors naming the argument', async () => {
    const model = Seq2SeqModel.create({ ...base, attention: 'dot' }, { seed: 1 });
    const stepModel = model.asStepModel();
    await expect(stepModel.start([])).rejects.toThrow(/at least one source/);
    await expect(stepModel.start([[]])).rejects.toThrow(/source 0 is empty/);
    await expect(stepModel.start([[3, 99]])).rejects.toThrow(/token id 99 at position 1/);
    const state = await stepModel.start([[3, 4]]);
    await expect(stepModel.step(state, new Int32Array([1, 1]))).rejects.toThrow(/previous has 2 ids but the state has 1 rows/);
    expect(() => stepModel.reorder(state, new Int32Array([2]))).toThrow(/rows\[0\] = 2 is not a row/);
    const next = await stepModel.step(state, new Int32Array([1]));
    await expect(stepModel.step(state, new Int32Array([1]))).rejects.toThrow(/already consumed/);
    stepModel.dispose(next.state);
    model.dispose();
  });
});
