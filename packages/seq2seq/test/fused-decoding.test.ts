import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ModelConfig, Seq2SeqModel, setBackend } from '../src/index.js';
import { referenceKernels, registerSeqloomWasmKernels, wasmKernels } from '../src/kernels/index.js';

const FUSED = ['SeqloomLstmCell', 'SeqloomGruCell', 'SeqloomRnnCell'];
const small = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6 };
const sources = [
  [3, 4, 5, 6],
  [7, 8],
  [9, 10, 11, 3, 4],
];

beforeAll(async () => {
  await setBackend('wasm');
});

/** Logits of three decoding steps through the public StepModel, with the wasm kernel set (fused cells) or the reference set. */
async function stepLogits(config: Partial<ModelConfig>, fused: boolean): Promise<number[]> {
  if (fused) registerSeqloomWasmKernels();
  else FUSED.forEach((name) => tf.unregisterKernel(name, 'wasm'));
  FUSED.forEach((name) => expect(tf.getKernel(name, 'wasm') !== undefined).toBe(fused));
  const model = Seq2SeqModel.create(config, { seed: 5, kernels: fused ? wasmKernels : referenceKernels });
  const before = tf.memory().numTensors;
  const stepModel = model.asStepModel();
  let state = await stepModel.start(sources);
  const logits: number[] = [];
  let previous = new Int32Array(sources.length).fill(model.config.bosId);
  for (let t = 0; t < 3; t++) {
    const out = await stepModel.step(state, previous);
    logits.push(...out.logits);
    state = out.state;
    previous = Int32Array.from({ length: sources.length }, (_, r) => 3 + ((r + t) % 8));
  }
  stepModel.dispose(state);
  expect(tf.memory().numTensors).toBe(before);
  model.dispose();
  registerSeqloomWasmKernels();
  return logits;
}

const configs: Partial<ModelConfig>[] = [
  { ...small, cell: 'lstm', attention: 'none', layers: 2, bidirectional: true },
  { ...small, cell: 'lstm', attention: 'general', inputFeeding: true },
  { ...small, cell: 'gru', attention: 'dot', inputFeeding: false, layers: 2 },
  { ...small, cell: 'rnn', attention: 'bahdanau', inputFeeding: true, layers: 2 },
];

describe('decoding with the fused wasm cell kernels', () => {
  for (const config of configs) {
    it(`gives the unfused logits: ${JSON.stringify(config)}`, async () => {
      const want = await stepLogits(config, false);
      const got = await stepLogits(config, true);
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i]!))));
    });
  }
});
