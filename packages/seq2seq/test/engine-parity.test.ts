import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, type ModelConfig, Seq2SeqModel, saveCheckpoint, setBackend, train } from '../src/index.js';
import { ENGINES } from './support/test-backend.js';
import { reverseExamples } from './toy-model.js';

// A model trained and saved on one engine loads on the other with the same
// outputs (within float tolerance: the engines round differently).
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqloom-engines-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

const config: Partial<ModelConfig> = {
  cell: 'lstm',
  attention: 'general',
  bidirectional: true,
  hiddenSize: 16,
  embeddingSize: 8,
  sourceVocabSize: 12,
  targetVocabSize: 12,
};
const createModel = (c: Partial<ModelConfig>) => Seq2SeqModel.create(c, { seed: 9 });

/** Logits of two decoding steps for two sources of different lengths. */
async function logits(model: Seq2SeqModel): Promise<number[]> {
  const step = model.asStepModel();
  const state = await step.start([
    [3, 4, 5, 6],
    [7, 8],
  ]);
  const first = await step.step(state, new Int32Array([1, 1]));
  const second = await step.step(first.state, new Int32Array([4, 9]));
  step.dispose(second.state);
  return [...first.logits, ...second.logits];
}

describe.skipIf(ENGINES.length < 2)('native and wasm', () => {
  for (const [from, to] of [
    ['native', 'wasm'],
    ['wasm', 'native'],
  ] as const) {
    it(`save on ${from} → load on ${to}: the same logits within float tolerance`, async () => {
      await setBackend(from);
      const summary = await train({
        createModel,
        modelConfig: Seq2SeqModel.create(config).config,
        train: reverseExamples(32, 4),
        batchSize: 8,
        maxSteps: 5,
        seed: 2,
        optimizer: { type: 'adam', learningRate: 0.02 },
      });
      const dir = join(root, `${from}-to-${to}`);
      await saveCheckpoint(dir, { model: summary.model, tokenizers: { target: { vocab: { a: 0 } } } });
      const want = await logits(summary.model as Seq2SeqModel);
      summary.model.dispose();
      await setBackend(to);
      const loaded = await loadCheckpoint(dir, { createModel });
      const got = await logits(loaded.model as Seq2SeqModel);
      expect(got).toHaveLength(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!), `logit ${i}`).toBeLessThan(1e-4));
      loaded.model.dispose();
    });
  }
});
