import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Seq2SeqModel, setBackend } from '../src/index.js';
import { greedy } from './support/greedy.js';
import { BOS, EOS, makeBatch, PAD, randomStrings } from './support/reverse-task.js';
import { TEST_BACKEND } from './support/test-backend.js';
import { trainSteps } from './support/train-loop.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

const LETTERS = 26;

describe('toy tasks (fixed training budget, accuracy asserted)', () => {
  it('reverses held-out strings of 3–10 letters with ≥ 99 % exact match (greedy)', async () => {
    const vocab = 3 + LETTERS;
    const model = Seq2SeqModel.create(
      {
        sourceVocabSize: vocab,
        targetVocabSize: vocab,
        hiddenSize: 64,
        embeddingSize: 32,
        attention: 'general',
        inputFeeding: false,
        padId: PAD,
        bosId: BOS,
        eosId: EOS,
      },
      { seed: 1 },
    );
    const before = tf.memory().numTensors;
    const losses = trainSteps(
      model,
      (step) => {
        const sources = randomStrings(64, LETTERS, 3, 10, 1000 + step);
        return makeBatch(
          sources,
          sources.map((s) => [...s].reverse()),
        );
      },
      STEPS,
      0.02,
    );
    const heldOut = randomStrings(200, LETTERS, 3, 10, 7); // seeds 1000+ are training data
    const decoded = await greedy(model.asStepModel(), heldOut, 12);
    const exact = decoded.filter((out, i) => out.join(' ') === [...heldOut[i]].reverse().join(' ')).length / heldOut.length;
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(losses[losses.length - 1]).toBeLessThan(0.1);
    expect(exact).toBeGreaterThanOrEqual(0.99);
  }, 120_000);

  it('an lm learns a repetitive text to a low loss and regenerates it from a prime', async () => {
    const text = 'the cat sat on the mat. '.repeat(4);
    const chars = [...new Set(text)].sort();
    const id = (c: string) => 3 + chars.indexOf(c);
    const vocab = 3 + chars.length;
    const model = Seq2SeqModel.create({ task: 'lm', targetVocabSize: vocab, hiddenSize: 48, embeddingSize: 16, cell: 'lstm' }, { seed: 2 });
    const ids = [...text].map(id);
    const window = 24;
    const losses = trainSteps(
      model,
      (step) => {
        const starts = Array.from({ length: 16 }, (_, k) => (step * 7 + k * 5) % (ids.length - window));
        const rows = starts.map((s) => ids.slice(s, s + window));
        const batch = makeBatch(
          rows.map(() => []),
          rows,
        );
        return { ...batch, sourceLength: 0, source: new Int32Array(0), sourceLengths: new Int32Array(0) };
      },
      LM_STEPS,
      0.02,
    );
    expect(losses[losses.length - 1]).toBeLessThan(0.3);
    const prime = [...'the cat'].map(id);
    const [continuation] = await greedy(model.asStepModel(), [prime], 16);
    const generated = continuation.map((t) => chars[t - 3] ?? '?').join('');
    model.dispose();
    expect(generated).toBe(' sat on the mat.');
  }, 120_000);
});

const STEPS = 200;
const LM_STEPS = 150;
