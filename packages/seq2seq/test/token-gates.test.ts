import { beforeAll, describe, expect, it } from 'vitest';
import { foldsTokenGates } from '../src/cells/token-gates.js';
import { Seq2SeqModel, setBackend } from '../src/index.js';
import { modelInternals } from '../src/seq2seq-model.js';
import { analyticGrads, gradientCheck, lossValue } from './support/fixtures.js';
import { makeBatch } from './support/reverse-task.js';
import { TEST_BACKEND } from './support/test-backend.js';

beforeAll(async () => {
  await setBackend(TEST_BACKEND);
});

// vocab 8, 8 rows of 4 source and 4 target positions: 32 tokens ≥ 4·8, so the
// first encoder and decoder layers take their inputs from per-token gate tables.
const sources = [[3, 4, 5, 6], [7, 3], [5, 5, 4], [6, 7, 3, 4], [4], [3, 3, 3, 5], [7, 6], [5, 4, 3, 7]];
const targets = [[4, 5, 6], [7], [3, 6], [6, 7, 3], [5], [3, 4, 5], [7, 7], [6, 5, 4]];
const config = {
  sourceVocabSize: 8,
  targetVocabSize: 8,
  hiddenSize: 4,
  embeddingSize: 3,
  cell: 'lstm' as const,
  layers: 2,
  bidirectional: true,
  attention: 'none' as const,
};

describe('per-token gate tables for embedding-fed LSTM layers', () => {
  it('apply to this batch and not to one row alone', () => {
    const model = Seq2SeqModel.create(config, { seed: 11 });
    expect(foldsTokenGates(modelInternals(model).params.decoder[0]!, 8, 32, true)).toBe(true);
    expect(foldsTokenGates(modelInternals(model).params.decoder[0]!, 8, 4, true)).toBe(false);
    expect(foldsTokenGates(modelInternals(model).params.decoder[0]!, 8, 32, false)).toBe(false);
    model.dispose();
  });

  it('give the loss and gradients of the row-by-row (unfolded) computation', () => {
    const model = Seq2SeqModel.create(config, { seed: 11 });
    const batch = makeBatch(sources, targets);
    const total = lossValue(model, batch);
    const grads = analyticGrads(model, batch);
    let weighted = 0;
    const summed = new Map<string, Float32Array>();
    sources.forEach((source, r) => {
      const row = makeBatch([source], [targets[r]!]);
      weighted += lossValue(model, row) * row.tokens;
      for (const [name, g] of analyticGrads(model, row)) {
        const acc = summed.get(name) ?? new Float32Array(g.length);
        g.forEach((v, i) => (acc[i] = acc[i]! + (v * row.tokens) / batch.tokens));
        summed.set(name, acc);
      }
    });
    expect(total).toBeCloseTo(weighted / batch.tokens, 5);
    for (const [name, g] of grads) g.forEach((v, i) => expect(v, `${name}[${i}]`).toBeCloseTo(summed.get(name)![i]!, 4));
    model.dispose();
  });

  it('pass a finite-difference gradient check', () => {
    const model = Seq2SeqModel.create(config, { seed: 12 });
    const { worst, where } = gradientCheck(model, makeBatch(sources, targets), 6);
    model.dispose();
    expect(worst, where).toBeLessThanOrEqual(1);
  });
});
