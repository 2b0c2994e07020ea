import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError, Seq2SeqModel, setBackend } from '../src/index.js';
import { lossValue, tinyBatch } from './support/fixtures.js';
import { greedy } from './support/greedy.js';
import { TEST_BACKEND } from './support/test-backend.js';
import { trainSteps } from './support/train-loop.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const base = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6 };

function lossWith(model: Seq2SeqModel, options: Parameters<Seq2SeqModel['loss']>[1]): number {
  return tf.tidy(() => model.loss(tinyBatch(), options).loss.dataSync()[0]);
}

describe('live tensors', () => {
  it('are unchanged by many loss + gradient + update steps and by full decodes', async () => {
    const model = Seq2SeqModel.create({ ...base, attention: 'general', layers: 2, bidirectional: true, dropout: 0.2, embeddingDropout: 0.1 }, { seed: 1 });
    const before = tf.memory().numTensors;
    trainSteps(model, () => tinyBatch(), 15, 0.01);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 3; i++) await greedy(model.asStepModel(), [[3, 4, 5], [6, 7], [8]], 6);
    tf.tidy(() => {
      model.loss(tinyBatch(), { training: true, scheduledSampling: 0.5, seed: 2, labelSmoothing: 0.1 });
    });
    expect(tf.memory().numTensors).toBe(before);
    const weights = model.namedWeights().size;
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - weights);
  });
});

describe('loss', () => {
  it('is deterministic for a seed with dropout, and the seed matters', () => {
    const model = Seq2SeqModel.create({ ...base, dropout: 0.5, embeddingDropout: 0.3, layers: 2 }, { seed: 1 });
    const a = lossWith(model, { training: true, seed: 7 });
    expect(lossWith(model, { training: true, seed: 7 })).toBe(a);
    expect(lossWith(model, { training: true, seed: 8 })).not.toBe(a);
    expect(lossWith(model, { training: false, seed: 7 })).toBe(lossWith(model, { training: false, seed: 8 }));
    model.dispose();
  });

  it('scheduled sampling is seeded and ignored outside training', () => {
    const model = Seq2SeqModel.create({ ...base, attention: 'dot' }, { seed: 2 });
    const gold = lossWith(model, { training: true, seed: 3 });
    const sampled = lossWith(model, { training: true, seed: 3, scheduledSampling: 1 });
    expect(sampled).not.toBeCloseTo(gold, 5);
    expect(lossWith(model, { training: true, seed: 3, scheduledSampling: 1 })).toBe(sampled);
    expect(lossWith(model, { training: false, scheduledSampling: 1 })).toBeCloseTo(lossWith(model, { training: false }), 6);
    model.dispose();
  });

  it('label smoothing adds ε·mean(−log p) and correct counts argmax hits', () => {
    const model = Seq2SeqModel.create(base, { seed: 3 });
    const plain = lossWith(model, { training: false });
    const smoothed = lossWith(model, { training: false, labelSmoothing: 0.1 });
    expect(smoothed).not.toBeCloseTo(plain, 4);
    const uniform = Math.log(base.targetVocabSize); // a fresh model is close to uniform
    expect(smoothed).toBeCloseTo(0.9 * plain + 0.1 * uniform, 1);
    const correct = tf.tidy(() => model.loss(tinyBatch(), { training: false }).correct.dataSync()[0]);
    expect(Number.isInteger(correct) && correct >= 0 && correct <= tinyBatch().tokens).toBe(true);
    model.dispose();
  });

  it('countCorrect: false gives the same loss and records no argmax (correct = 0)', () => {
    const model = Seq2SeqModel.create(base, { seed: 3 });
    trainSteps(model, () => tinyBatch(), 30, 0.05); // some argmax hits to count
    const counted = tf.tidy(() => model.loss(tinyBatch(), { training: false }).correct.dataSync()[0]);
    expect(counted).toBeGreaterThan(0);
    const lossOnly = tf.tidy(() => {
      const result = model.loss(tinyBatch(), { training: false, countCorrect: false });
      return [result.loss.dataSync()[0], result.correct.dataSync()[0]];
    });
    expect(lossOnly[0]).toBeCloseTo(lossWith(model, { training: false }), 6);
    expect(lossOnly[1]).toBe(0);
    model.dispose();
  });

  it('names a malformed batch field', () => {
    const model = Seq2SeqModel.create(base, { seed: 1 });
    const batch = tinyBatch();
    expect(() => model.loss({ ...batch, targetIn: batch.targetIn.subarray(1) }, { training: false })).toThrow(
      /"targetIn" has 11 values, expected batchSize × targetLength = 12/,
    );
    const badSource = tinyBatch();
    badSource.source[0] = 40;
    expect(() => model.loss(badSource, { training: false })).toThrow(/"source"\[0\] = 40 is outside the source vocabulary \[0, 12\)/);
    expect(() => model.loss({ ...batch, sourceLengths: Int32Array.from([4, 0, 3]) }, { training: false })).toThrow(/sourceLengths\[1\] = 0/);
    model.dispose();
  });
});

describe('embeddings', () => {
  it('pretrained frozen vectors load, stay out of the trainable set and do not change', () => {
    const matrix = Float32Array.from({ length: 12 * 6 }, (_, i) => Math.sin(i));
    const model = Seq2SeqModel.create(base, { seed: 1, sourceEmbedding: { matrix, trainable: false }, targetEmbedding: { matrix, trainable: true } });
    expect([...model.frozen]).toEqual(['encoder/embedding']);
    expect(model.trainableWeights().has('encoder/embedding')).toBe(false);
    expect(model.namedWeights().has('encoder/embedding')).toBe(true);
    trainSteps(model, () => tinyBatch(), 3, 0.05);
    expect(Array.from(model.namedWeights().get('encoder/embedding')?.dataSync() ?? [])).toEqual(Array.from(matrix));
    expect(Array.from(model.namedWeights().get('decoder/embedding')?.dataSync() ?? [])).not.toEqual(Array.from(matrix));
    model.dispose();
  });

  it('rejects pretrained vectors of the wrong size, naming the option and the expected count', () => {
    expect(() => Seq2SeqModel.create(base, { targetEmbedding: { matrix: new Float32Array(10), trainable: true } })).toThrow(
      /"targetEmbedding": expected a Float32Array of vocab × embeddingSize = 12 × 6 = 72 values, got 10/,
    );
  });

  it('sharing and tying remove weights; tying with hidden ≠ embedding adds a projection', () => {
    const plain = Seq2SeqModel.create(base, { seed: 1 });
    const shared = Seq2SeqModel.create({ ...base, shareEmbeddings: true }, { seed: 1 });
    const tied = Seq2SeqModel.create({ ...base, tieEmbeddings: true }, { seed: 1 });
    expect(plain.parameterCount() - shared.parameterCount()).toBe(12 * 6);
    expect(shared.namedWeights().has('embedding')).toBe(true);
    expect(tied.namedWeights().has('output/kernel')).toBe(false);
    expect(tied.namedWeights().get('output/tie_projection')?.shape).toEqual([8, 6]);
    expect(plain.parameterCount() - tied.parameterCount()).toBe(8 * 12 - 8 * 6);
    for (const m of [plain, shared, tied]) {
      expect(Number.isFinite(lossValue(m, tinyBatch()))).toBe(true);
      m.dispose();
    }
  });
});

describe('validateModelConfig', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ targetVocabSize: 10 }, /Missing model option "sourceVocabSize"/],
    [{ sourceVocabSize: 10 }, /Missing model option "targetVocabSize"/],
    [{ ...base, cell: 'transformer' }, /"cell": got "transformer", expected one of lstm, gru, rnn/],
    [{ ...base, task: 'translate' }, /"task": got "translate", expected one of seq2seq, lm/],
    [{ ...base, attention: 'luong' }, /"attention": got "luong", expected one of none, dot, general, bahdanau/],
    [{ ...base, layers: 0 }, /"layers": got 0, expected an integer from 1 to 16/],
    [{ ...base, hiddenSize: 2.5 }, /"hiddenSize": got 2.5, expected an integer/],
    [{ ...base, embeddingSize: -1 }, /"embeddingSize": got -1/],
    [{ ...base, dropout: 1 }, /"dropout": got 1, expected a number in \[0, 1\)/],
    [{ ...base, embeddingDropout: -0.1 }, /"embeddingDropout"/],
    [{ ...base, bidirectional: 'yes' }, /"bidirectional": got "yes", expected true or false/],
    [{ ...base, eosId: 12 }, /"eosId": got 12, expected an integer from 0 to 11/],
    [{ ...base, bosId: 0 }, /must differ from "padId"/],
    [{ ...base, sourcePadId: 30 }, /"sourcePadId": got 30/],
    [{ ...base, attention: 'none', inputFeeding: true }, /"inputFeeding": .* needs attention/],
    [{ ...base, targetVocabSize: 13, shareEmbeddings: true }, /"shareEmbeddings": source and target vocabularies differ \(12 vs 13\)/],
    [{ task: 'lm', targetVocabSize: 10, attention: 'dot' }, /task "lm" has no source to attend to/],
    [{ task: 'lm', targetVocabSize: 10, bidirectional: true }, /task "lm" has no encoder/],
  ];
  for (const [config, message] of cases) {
    it(`rejects ${JSON.stringify(config)}`, () => {
      expect(() => Seq2SeqModel.create(config)).toThrow(ModelConfigError);
      expect(() => Seq2SeqModel.create(config)).toThrow(message);
    });
  }

  it('fills the documented defaults', () => {
    const model = Seq2SeqModel.create({ sourceVocabSize: 10, targetVocabSize: 11 });
    expect(model.config).toMatchObject({
      task: 'seq2seq',
      cell: 'lstm',
      layers: 1,
      hiddenSize: 256,
      embeddingSize: 128,
      attention: 'general',
      inputFeeding: true,
      dropout: 0,
      padId: 0,
      bosId: 1,
      eosId: 2,
      sourcePadId: 0,
    });
    model.dispose();
    const lm = Seq2SeqModel.create({ task: 'lm', targetVocabSize: 11 });
    expect(lm.config).toMatchObject({ attention: 'none', inputFeeding: false, sourceVocabSize: 0 });
    lm.dispose();
  });
});
