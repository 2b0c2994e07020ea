import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lmWindows } from '../src/data/index.js';
import { loadCheckpoint, type ModelConfig, Seq2SeqModel, setBackend, type TrainOptions, train } from '../src/index.js';
import { TEST_BACKEND } from './support/test-backend.js';
import { reverseExamples } from './toy-model.js';

// The real recurrent model on seqloom's default engine (native when built, else wasm): train → checkpoint → resume → load.
let root: string;
beforeAll(async () => {
  await setBackend(TEST_BACKEND);
  root = await mkdtemp(join(tmpdir(), 'seqloom-integration-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await tf.setBackend('cpu');
});

const config: Partial<ModelConfig> = {
  cell: 'lstm',
  attention: 'general',
  hiddenSize: 24,
  embeddingSize: 12,
  dropout: 0.1,
  sourceVocabSize: 12,
  targetVocabSize: 12,
};
const createModel = (c: Partial<ModelConfig>) => Seq2SeqModel.create(c, { seed: 5 });
const trainData = reverseExamples(64, 21);
const validData = reverseExamples(16, 22);

function options(overrides: Partial<TrainOptions>): TrainOptions {
  return {
    createModel,
    modelConfig: Seq2SeqModel.create(config).config,
    train: trainData,
    valid: validData,
    batchSize: 8,
    evalEvery: 4,
    maxSteps: 12,
    seed: 3,
    optimizer: { type: 'adam', learningRate: 0.02 },
    labelSmoothing: 0.1,
    ...overrides,
  };
}

describe('training the recurrent model', () => {
  it('resumes exactly, with no tensor leaks, and reloads with the same outputs', async () => {
    const full: number[] = [];
    const counts: number[] = [];
    const uninterrupted = await train(options({ onStep: (e) => void (full.push(e.loss), counts.push(tf.memory().numTensors)) }));
    expect(new Set(counts).size).toBe(1);
    const valid = uninterrupted.history.map((h) => h.validLoss);
    expect(valid).toHaveLength(3);
    expect(valid[2]).toBeLessThan(valid[0]);

    const outDir = join(root, 'resume');
    const controller = new AbortController();
    const part: number[] = [];
    const first = await train(options({ outDir, signal: controller.signal, onStep: (e) => void (part.push(e.loss), e.step === 6 && controller.abort()) }));
    expect(first.stopReason).toBe('aborted');
    first.model.dispose();
    const rest: number[] = [];
    const resumed = await train(options({ outDir, resumeFrom: outDir, modelConfig: undefined, onStep: (e) => void rest.push(e.loss) }));
    expect([...part, ...rest]).toEqual(full);
    expect(resumed.history).toEqual(uninterrupted.history.map((h) => ({ ...h })));

    const loaded = await loadCheckpoint(outDir, { createModel, prefer: 'last' });
    const logits = async (model: Seq2SeqModel) => {
      const step = model.asStepModel();
      const state = await step.start([
        [3, 4, 5],
        [6, 7],
      ]);
      const out = await step.step(state, new Int32Array([1, 1]));
      step.dispose(out.state);
      return [...out.logits];
    };
    expect(await logits(loaded.model as Seq2SeqModel)).toEqual(await logits(resumed.model as Seq2SeqModel));
    for (const m of [uninterrupted.model, resumed.model, loaded.model]) m.dispose();
  });

  it('trains an lm on a repetitive text to a low loss', async () => {
    const text = 'abcabdabe '.repeat(30);
    const encode = (t: string) => [...t].map((c) => (c === ' ' ? 3 : c.charCodeAt(0) - 93)); // a → 4
    const windows = lmWindows(text, { encode, windowSize: 20, bosId: 1, eosId: 2 });
    const summary = await train({
      createModel,
      modelConfig: Seq2SeqModel.create({ task: 'lm', targetVocabSize: 10, hiddenSize: 32, embeddingSize: 8 }).config,
      train: windows,
      valid: windows.slice(0, 4),
      batchSize: 5,
      epochs: 25,
      optimizer: { type: 'adam', learningRate: 0.03 },
    });
    // The text repeats with period 10, so a recurrent model with memory can predict it almost exactly.
    expect(summary.finalMetrics!.loss).toBeLessThan(0.3);
    summary.model.dispose();
  });
});
