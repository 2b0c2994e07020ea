import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2SeqModel, train } from '../src/index.js';
import { reverseExamples } from './toy-model.js';

// Its own file (own worker): nothing here calls seqloom's setBackend, which
// would register the kernel as a side effect.
describe('a backend chosen with a plain tf.setBackend', () => {
  it("trains embeddings on wasm without seqloom's setBackend", async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeUndefined();
    const model = Seq2SeqModel.create({ sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 4 }, { seed: 1 });
    const before = model.namedWeights().get('decoder/embedding')!.dataSync().slice();
    const summary = await train({ model, train: reverseExamples(8, 5), batchSize: 4, maxSteps: 2 });
    expect(summary.steps).toBe(2);
    expect(model.namedWeights().get('decoder/embedding')!.dataSync()).not.toEqual(before);
    model.dispose();
  });
});
