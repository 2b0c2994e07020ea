import { beforeAll, describe, expect, it } from 'vitest';
import { type AttentionType, type CellType, Seq2SeqModel, setBackend } from '../src/index.js';
import { gradientCheck, tinyBatch } from './support/fixtures.js';
import { TEST_BACKEND } from './support/test-backend.js';
import { trainSteps } from './support/train-loop.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const small = { sourceVocabSize: 8, targetVocabSize: 8, hiddenSize: 4, embeddingSize: 3 };

describe('numerical gradient checks (finite differences)', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as CellType[]) {
    it(`${cell}: stacked bidirectional encoder and stacked decoder`, () => {
      const model = Seq2SeqModel.create({ ...small, cell, layers: 2, bidirectional: true, attention: 'none' }, { seed: 3 });
      const { worst, where } = gradientCheck(model, tinyBatch(), 6);
      model.dispose();
      expect(worst, where).toBeLessThanOrEqual(1);
    });
  }

  for (const attention of ['dot', 'general', 'bahdanau'] as AttentionType[]) {
    for (const inputFeeding of [true, false]) {
      it(`${attention} attention, input feeding ${inputFeeding}`, () => {
        const model = Seq2SeqModel.create({ ...small, cell: 'lstm', attention, inputFeeding }, { seed: 5 });
        const { worst, where } = gradientCheck(model, tinyBatch(), 6);
        model.dispose();
        expect(worst, where).toBeLessThanOrEqual(1);
      });
    }
  }

  it('scheduled sampling with label smoothing (fixed seed: the sampled inputs are fixed)', () => {
    const model = Seq2SeqModel.create({ ...small, cell: 'gru', attention: 'general', layers: 2 }, { seed: 9 });
    trainSteps(model, () => tinyBatch(), 40, 0.05); // clear argmax margins: a probe must not flip a fed-back prediction
    const { worst, where } = gradientCheck(model, tinyBatch(), 6, { training: true, seed: 4, scheduledSampling: 0.5, labelSmoothing: 0.1 });
    model.dispose();
    expect(worst, where).toBeLessThanOrEqual(1);
  });

  it('lm with GRU and tied output projection', () => {
    const model = Seq2SeqModel.create({ task: 'lm', targetVocabSize: 8, hiddenSize: 4, embeddingSize: 3, tieEmbeddings: true, cell: 'gru' }, { seed: 7 });
    const batch = tinyBatch();
    const lmBatch = { ...batch, sourceLength: 0, source: new Int32Array(0), sourceLengths: new Int32Array(0) };
    const { worst, where } = gradientCheck(model, lmBatch, 6);
    model.dispose();
    expect(worst, where).toBeLessThanOrEqual(1);
  });
});
