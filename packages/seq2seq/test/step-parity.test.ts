import { beforeAll, describe, expect, it } from 'vitest';
import { type ModelConfig, Seq2SeqModel, setBackend } from '../src/index.js';
import { lossValue, tinyBatch } from './support/fixtures.js';
import { TEST_BACKEND } from './support/test-backend.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const small = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6 };

/** −log softmax(logits)[target] for one row of logits. */
function nll(logits: Float32Array, offset: number, vocab: number, target: number): number {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) max = Math.max(max, logits[offset + v]);
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
  return Math.log(sum) + max - logits[offset + target];
}

const configs: Partial<ModelConfig>[] = [
  { ...small, cell: 'lstm', attention: 'none', bidirectional: true, layers: 2 },
  { ...small, cell: 'gru', attention: 'general', inputFeeding: false, layers: 2 },
  { ...small, cell: 'rnn', attention: 'bahdanau', inputFeeding: true },
  { ...small, cell: 'lstm', attention: 'dot', inputFeeding: false, bidirectional: true, tieEmbeddings: true },
  { task: 'lm', targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6, cell: 'gru', layers: 2 },
];

describe('decoding steps and the training loss compute the same model', () => {
  for (const config of configs) {
    it(JSON.stringify(config), async () => {
      const model = Seq2SeqModel.create(config, { seed: 12 });
      const isLm = config.task === 'lm';
      const batch = tinyBatch();
      const trainBatch = isLm ? { ...batch, sourceLength: 0, source: new Int32Array(0), sourceLengths: new Int32Array(0) } : batch;
      const expected = lossValue(model, trainBatch) * batch.tokens;
      // Teacher-force the same targets through the StepModel, all rows batched.
      const stepModel = model.asStepModel();
      const { batchSize: rows, targetLength: steps, sourceLength } = batch;
      const sources = Array.from({ length: rows }, (_, r) =>
        isLm ? [] : Array.from(batch.source.subarray(r * sourceLength, r * sourceLength + batch.sourceLengths[r])),
      );
      let state = await stepModel.start(sources);
      let total = 0;
      for (let t = 0; t < steps; t++) {
        const previous = Int32Array.from({ length: rows }, (_, r) => batch.targetIn[r * steps + t]);
        const out = await stepModel.step(state, previous);
        state = out.state;
        for (let r = 0; r < rows; r++) {
          if (batch.targetMask[r * steps + t] === 1) total += nll(out.logits, r * stepModel.vocabSize, stepModel.vocabSize, batch.targetOut[r * steps + t]);
        }
      }
      stepModel.dispose(state);
      model.dispose();
      expect(total).toBeCloseTo(expected, 4);
    });
  }
});
