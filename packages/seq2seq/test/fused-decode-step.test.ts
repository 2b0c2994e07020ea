import { generate, type StepModel } from '@seqloom/decode';
import { nativeUnavailableReason } from '@seqloom/native';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELL_TYPES } from '../src/cells/cell-types.js';
import { type ModelConfig, Seq2SeqModel, setBackend } from '../src/index.js';
import { activeKernelSet, type SeqKernels } from '../src/kernels/index.js';

const unavailable = nativeUnavailableReason();
if (unavailable !== undefined) console.log(`fused decoder step tests skipped: ${unavailable}`);

const sources = [
  [3, 4, 5, 6],
  [7, 8],
  [9, 10, 11, 3, 4],
];
const base = { sourceVocabSize: 14, targetVocabSize: 13, hiddenSize: 8, embeddingSize: 6, dropout: 0.3, bidirectional: true };

/** The same model twice: on the native set (fused decoder step) and on that set without it (tfjs ops per step). */
function twins(config: Partial<ModelConfig>): { fused: Seq2SeqModel; tensor: Seq2SeqModel } {
  const kernels = activeKernelSet();
  const { fusedDecoder: _, ...rest } = kernels;
  const tensorKernels: SeqKernels = rest;
  return { fused: Seq2SeqModel.create(config, { seed: 7, kernels }), tensor: Seq2SeqModel.create(config, { seed: 7, kernels: tensorKernels }) };
}

interface Trace {
  /** The state came from a fused decoder engine. */
  fused: boolean;
  logits: Float32Array[];
  attention: (Float32Array | undefined)[];
}

/** Four steps with a growing beam reorder (repeated parents), then a shrinking one (a dropped row). */
async function trace(stepModel: StepModel<unknown>, prompts: readonly (readonly number[])[]): Promise<Trace> {
  let state = await stepModel.start(prompts);
  const out: Trace = { fused: typeof state === 'object' && state !== null && 'session' in state, logits: [], attention: [] };
  let rows = prompts.length;
  const reorders: (Int32Array | null)[] = [null, Int32Array.of(0, 0, 1, 2, 2, 1), Int32Array.of(5, 0, 3, 3), null];
  for (let t = 0; t < reorders.length; t++) {
    const order = reorders[t]!;
    if (order !== null) {
      state = stepModel.reorder(state, order);
      rows = order.length;
    }
    const previous = Int32Array.from({ length: rows }, (_, r) => (t === 0 ? stepModel.bosId : 3 + ((r * 5 + t) % 9)));
    const result = await stepModel.step(state, previous);
    out.logits.push(result.logits);
    out.attention.push(result.attention);
    state = result.state;
  }
  stepModel.dispose(state);
  return out;
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

async function expectParity(config: Partial<ModelConfig>, prompts: readonly (readonly number[])[] = sources): Promise<void> {
  const { fused, tensor } = twins(config);
  const before = tf.memory().numTensors;
  const got = await trace(fused.asStepModel(), prompts);
  expect(tf.memory().numTensors).toBe(before);
  const want = await trace(tensor.asStepModel(), prompts);
  expect([got.fused, want.fused]).toEqual([true, false]); // every cell the model has runs on the engine
  got.logits.forEach((logits, t) => expect(maxAbs(logits, want.logits[t]!)).toBeLessThan(1e-5));
  got.attention.forEach((weights, t) => {
    expect(weights === undefined).toBe(want.attention[t] === undefined);
    if (weights !== undefined) expect(maxAbs(weights, want.attention[t]!)).toBeLessThan(1e-5);
  });
  fused.dispose();
  tensor.dispose();
}

describe.skipIf(unavailable !== undefined)('the fused native decoder step', () => {
  beforeAll(async () => {
    await setBackend('native');
  });

  it('is offered by the native kernel set and chosen by asStepModel', async () => {
    expect(activeKernelSet().fusedDecoder).toBeDefined();
    const model = Seq2SeqModel.create({ ...base, cell: 'lstm', attention: 'none' }, { seed: 1 });
    const stepModel = model.asStepModel();
    const state = await stepModel.start(sources);
    expect('session' in state).toBe(true);
    stepModel.dispose(state);
    model.dispose();
  });

  for (const cell of CELL_TYPES) {
    for (const attention of ['none', 'dot', 'general', 'bahdanau'] as const) {
      for (const inputFeeding of attention === 'none' ? [false] : [false, true]) {
        for (const layers of [1, 2]) {
          it(`${cell}, attention ${attention}, input feeding ${inputFeeding}, ${layers} layer(s): steps and reorders equal the tfjs path within 1e-5`, async () => {
            await expectParity({ ...base, cell, attention, inputFeeding, layers });
          });
        }
      }
    }
  }

  it('tied output layers (with and without a projection) and a large vocabulary (no input table)', async () => {
    await expectParity({ ...base, cell: 'lstm', attention: 'general', tieEmbeddings: true, hiddenSize: 6 });
    await expectParity({ ...base, cell: 'gru', attention: 'dot', tieEmbeddings: true, hiddenSize: 8 });
    await expectParity({ ...base, cell: 'lstm', attention: 'bahdanau', targetVocabSize: 40 });
  });

  it('follows new weight values (assigned after a first decode) instead of the ones it first read', async () => {
    const config = { ...base, cell: 'gru', attention: 'general', layers: 2 } as const;
    const { fused, tensor } = twins(config);
    await trace(fused.asStepModel(), sources); // builds the engine's handle over the first weights
    for (const model of [fused, tensor]) {
      for (const weight of model.trainableWeights().values()) weight.assign(tf.tidy(() => tf.add(tf.mul(weight, 1.5), 0.01)));
    }
    const got = await trace(fused.asStepModel(), sources);
    const want = await trace(tensor.asStepModel(), sources);
    got.logits.forEach((logits, t) => expect(maxAbs(logits, want.logits[t]!)).toBeLessThan(1e-5));
    fused.dispose();
    tensor.dispose();
  });

  it('a language model primed with prompts of different lengths', async () => {
    await expectParity({ task: 'lm', targetVocabSize: 13, hiddenSize: 8, embeddingSize: 6, cell: 'lstm', layers: 2 }, [[3, 4, 5], [], [6]]);
  });

  for (const strategy of ['greedy', 'beam'] as const) {
    it(`${strategy} decoding gives the same ids and scores as the tfjs path`, async () => {
      for (const cell of ['lstm', 'gru'] as const) {
        const { fused, tensor } = twins({ ...base, cell, attention: 'bahdanau', layers: 2, targetVocabSize: 20 });
        const options = strategy === 'greedy' ? { maxNewTokens: 10 } : { strategy, beamWidth: 5, maxNewTokens: 10, numReturn: 3 };
        const got = await generate(fused.asStepModel(), sources, options);
        const want = await generate(tensor.asStepModel(), sources, options);
        got.forEach((result, i) => {
          expect(result.hypotheses.map((h) => h.ids)).toEqual(want[i]!.hypotheses.map((h) => h.ids));
          result.hypotheses.forEach((h, j) => expect(Math.abs(h.score - want[i]!.hypotheses[j]!.score)).toBeLessThan(1e-4));
        });
        fused.dispose();
        tensor.dispose();
      }
    });
  }

  it('rejects a consumed state, bad ids and bad reorder rows naming the argument', async () => {
    const model = Seq2SeqModel.create({ ...base, cell: 'rnn', attention: 'dot' }, { seed: 2 });
    const stepModel = model.asStepModel();
    const state = await stepModel.start(sources);
    await expect(stepModel.step(state, Int32Array.of(1, 2, 99))).rejects.toThrow(/token id 99 at position 2/);
    expect(() => stepModel.reorder(state, Int32Array.of(0, 3))).toThrow(/rows\[1\] = 3 is not a row/);
    const next = (await stepModel.step(state, Int32Array.of(1, 1, 1))).state;
    await expect(stepModel.step(state, Int32Array.of(1, 1, 1))).rejects.toThrow(/already consumed/);
    stepModel.dispose(next);
    model.dispose();
  });
});
