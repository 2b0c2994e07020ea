import { generate } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Seq2SeqModel, setBackend } from '../src/index.js';
import { tinyBatch } from './support/fixtures.js';
import { greedy } from './support/greedy.js';
import { TEST_BACKEND } from './support/test-backend.js';
import { trainSteps } from './support/train-loop.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const base = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 16, embeddingSize: 8 };
const sources = [
  [3, 4, 5, 6],
  [7, 8],
  [9, 10, 11],
];

describe('@seqloom/decode drives the StepModel adapter', () => {
  it('greedy generate matches a plain argmax loop; beam search scores at least as well; no tensors leak', async () => {
    const model = Seq2SeqModel.create({ ...base, attention: 'bahdanau', bidirectional: true, layers: 2 }, { seed: 5 });
    trainSteps(model, () => tinyBatch(), 20, 0.02); // make the distribution peaked enough to be interesting
    const stepModel = model.asStepModel();
    const before = tf.memory().numTensors;
    const greedyResults = await generate(stepModel, sources, { strategy: 'greedy', maxNewTokens: 8 });
    const plain = await greedy(stepModel, sources, 8);
    greedyResults.forEach((result, i) => {
      const ids = result.best.ids.filter((id) => id !== model.config.eosId);
      expect(ids).toEqual(plain[i]);
      expect(result.best.attention?.[0].length).toBe(4);
    });
    const beam = await generate(stepModel, sources, { strategy: 'beam', beamWidth: 4, maxNewTokens: 8, numReturn: 2, lengthPenalty: 'none' });
    beam.forEach((result, i) => {
      expect(result.hypotheses.length).toBe(2);
      // Without a length penalty the score is the log-probability: beam search never scores below greedy.
      expect(result.best.score).toBe(result.best.logProb);
      expect(result.best.score).toBeGreaterThanOrEqual(greedyResults[i].best.score - 1e-4);
    });
    await generate(stepModel, sources, { strategy: 'sample', seed: 3, numReturn: 3, maxNewTokens: 8 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('lm: priming through start(sources) equals forcing the prime with forcedPrefix', async () => {
    const model = Seq2SeqModel.create({ task: 'lm', targetVocabSize: 12, hiddenSize: 16, embeddingSize: 8, cell: 'gru', layers: 2 }, { seed: 8 });
    const stepModel = model.asStepModel();
    const prime = [5, 6, 7];
    const viaStart = await generate(stepModel, [prime, [4]], { maxNewTokens: 6 });
    const viaPrefix = await generate(stepModel, [[], []], { maxNewTokens: 6, forcedPrefix: prime });
    expect(viaPrefix[0].best.ids.slice(0, prime.length)).toEqual(prime);
    expect(viaPrefix[0].best.ids.slice(prime.length)).toEqual(viaStart[0].best.ids);
    const a = viaStart[0].best.tokenLogProbs;
    const b = viaPrefix[0].best.tokenLogProbs.slice(prime.length);
    a.forEach((x, i) => expect(b[i]).toBeCloseTo(x, 4));
    model.dispose();
  });
});
