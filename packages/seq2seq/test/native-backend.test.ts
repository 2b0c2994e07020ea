import { nativeUnavailableReason } from '@seqloom/native';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { lstmSequence } from '../src/cells/lstm-sequence.js';
import { describeBackend, type ModelConfig, Seq2SeqModel, setBackend } from '../src/index.js';
import { activeKernelSet, referenceKernels } from '../src/kernels/index.js';
import { clipByGlobalNorm, createOptimizer, globalNormScale, trainStep } from '../src/training.js';
import { gradientCheck, tinyBatch } from './support/fixtures.js';

const unavailable = nativeUnavailableReason();
if (unavailable !== undefined) console.log(`native backend tests skipped: ${unavailable}`);

const base: Omit<ModelConfig, 'cell' | 'attention'> = {
  task: 'seq2seq',
  layers: 2,
  hiddenSize: 8,
  embeddingSize: 6,
  bidirectional: false,
  inputFeeding: false,
  dropout: 0,
  embeddingDropout: 0,
  sourceVocabSize: 10,
  targetVocabSize: 10,
  padId: 0,
  bosId: 1,
  eosId: 2,
  sourcePadId: 0,
};

/** Loss of two Adam steps (clip-norm 1) and the weights after them, on `backend`. */
async function twoSteps(backend: 'cpu' | 'native', config: ModelConfig): Promise<{ losses: number[]; weights: Map<string, Float32Array>; drift: number }> {
  await setBackend(backend);
  const model = Seq2SeqModel.create(config, { seed: 3 });
  const trainable = model.trainableWeights();
  const optimizer = createOptimizer({ type: 'adam', learningRate: 1e-2 }, trainable);
  const losses: number[] = [];
  const before = tf.memory().numTensors;
  for (let i = 0; i < 2; i++) {
    const result = await trainStep(model, trainable, optimizer, tinyBatch(), { learningRate: 1e-2, clipNorm: 1, loss: { training: true, seed: i } });
    losses.push(result.loss);
  }
  const drift = tf.memory().numTensors - before;
  const weights = new Map([...trainable].map(([name, v]) => [name, v.dataSync().slice() as Float32Array]));
  optimizer.dispose();
  model.dispose();
  return { losses, weights, drift };
}

describe.skipIf(unavailable !== undefined)('the native backend in seq2seq', () => {
  it('is chosen by name and by auto, and describes its BLAS, core and threads', async () => {
    expect(await setBackend('native', { threads: 2 })).toBe('native');
    expect(describeBackend()).toMatch(/^native \((oneDNN [\d.]+|OpenBLAS [\d.]+|Accelerate), [\w -]+, 2 threads\)$/);
    expect(await setBackend('auto')).toBe('native');
    expect(describeBackend()).toMatch(/^native \(.+, 1 thread\)$/);
  });

  it('hands models the fused kernel set, whose cells run the engine', async () => {
    await setBackend('native');
    expect(activeKernelSet().name).toBe('native');
    const x = tf.randomNormal([3, 16]) as tf.Tensor2D;
    const r = tf.randomNormal([3, 16]) as tf.Tensor2D;
    const c = tf.randomNormal([3, 4]) as tf.Tensor2D;
    const [h, c2] = activeKernelSet().lstmCell(x, r, c);
    const [hRef, cRef] = referenceKernels.lstmCell(x, r, c);
    expect(
      Array.from(h.dataSync())
        .map((v, i) => Math.abs(v - hRef.dataSync()[i]!))
        .every((d) => d < 1e-5),
    ).toBe(true);
    expect(
      Array.from(c2.dataSync())
        .map((v, i) => Math.abs(v - cRef.dataSync()[i]!))
        .every((d) => d < 1e-5),
    ).toBe(true);
    tf.dispose([x, r, c, h, c2, hRef, cRef]);
  });

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    for (const attention of ['none', 'general'] as const) {
      it(`two Adam steps of a ${cell} model (attention ${attention}) equal the cpu backend's`, async () => {
        const config = { ...base, cell, attention } as ModelConfig;
        const cpu = await twoSteps('cpu', config);
        const native = await twoSteps('native', config);
        expect(native.drift).toBe(0);
        native.losses.forEach((loss, i) => expect(loss).toBeCloseTo(cpu.losses[i]!, 5));
        for (const [name, values] of native.weights) {
          const reference = cpu.weights.get(name)!;
          values.forEach((v, i) => expect(Math.abs(v - reference[i]!), `${name}[${i}]`).toBeLessThan(1e-4)); // 1 % of one Adam step (lr 1e-2): Adam divides by √v, so tiny gradient differences show
        }
      });
    }
  }

  it('the fused Adam update and sum of squares equal the tfjs-ops optimizer and clipping', async () => {
    await setBackend('native');
    const opsOnly = { ...referenceKernels, adamUpdate: undefined, sumOfSquares: undefined }; // the optimizer's tfjs-ops path
    expect(activeKernelSet().adamUpdate).toBeDefined();
    const weights = () =>
      new Map([
        ['a', tf.variable(tf.randomNormal([6, 5], 0, 1, 'float32', 1))],
        ['b', tf.variable(tf.randomNormal([9], 0, 1, 'float32', 2))],
      ]);
    const [fusedWeights, opsWeights] = [weights(), weights()];
    const fused = createOptimizer({ type: 'adam', learningRate: 1e-2 }, fusedWeights);
    const ops = createOptimizer({ type: 'adam', learningRate: 1e-2 }, opsWeights, opsOnly);
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => {
        const grads = new Map([
          ['a', tf.randomNormal([6, 5], 0, 2, 'float32', 10 + step)],
          ['b', tf.randomNormal([9], 0, 2, 'float32', 20 + step)],
        ]);
        const clip = globalNormScale(grads, 1);
        const reference = clipByGlobalNorm(grads, 1, opsOnly);
        expect(clip.norm.dataSync()[0]).toBeCloseTo(reference.norm.dataSync()[0]!, 4);
        expect(clip.scale!.dataSync()[0]).toBeLessThan(1); // the limit is active
        fused.apply(grads, 1e-2, clip.scale);
        ops.apply(reference.grads, 1e-2);
      });
    }
    for (const name of ['a', 'b']) {
      const got = fusedWeights.get(name)!.dataSync();
      const want = opsWeights.get(name)!.dataSync();
      got.forEach((v, i) => expect(Math.abs(v - want[i]!), `${name}[${i}]`).toBeLessThan(1e-6));
    }
    const [fusedState, opsState] = [fused.getState(), ops.getState()];
    for (const [slot, value] of fusedState.slots) {
      const want = opsState.slots.get(slot)!.dataSync();
      value.dataSync().forEach((v, i) => expect(Math.abs(v - want[i]!), `${slot}[${i}]`).toBeLessThan(1e-6));
    }
    tf.dispose([...fusedState.slots.values(), ...opsState.slots.values(), ...fusedWeights.values(), ...opsWeights.values()]);
    fused.dispose();
    ops.dispose();
  });

  for (const smoothing of [0, 0.1]) {
    it(`the fused log-softmax + masked NLL equals tfjs ops, value and gradient (label smoothing ${smoothing})`, async () => {
      await setBackend('native');
      const fused = activeKernelSet().maskedNllSum!;
      expect(fused).toBeDefined();
      const logits = tf.randomNormal([7, 11], 0, 3, 'float32', 4) as tf.Tensor2D;
      const ids = tf.tensor1d([0, 10, 3, 3, 5, 1, 9], 'int32');
      const weights = tf.tensor1d([1, 1, 0, 1, 0.5, 1, 0]);
      const inOps = (x: tf.Tensor2D) => {
        const logProbs = tf.logSoftmax(x);
        const picked = tf.sum(tf.mul(logProbs, tf.oneHot(ids, 11)), 1);
        const perToken = tf.add(tf.mul(tf.neg(picked), 1 - smoothing), tf.mul(tf.neg(tf.mean(logProbs, 1)), smoothing));
        return tf.sum(tf.mul(perToken, weights)) as tf.Scalar;
      };
      const before = tf.memory().numTensors;
      const [got, want] = [tf.valueAndGrad((x: tf.Tensor2D) => fused(x, ids, weights, smoothing))(logits), tf.valueAndGrad(inOps)(logits)];
      expect(got.value.dataSync()[0]).toBeCloseTo(want.value.dataSync()[0]!, 4);
      const wantGrad = want.grad.dataSync();
      got.grad.dataSync().forEach((g, i) => expect(Math.abs(g - wantGrad[i]!), `grad[${i}]`).toBeLessThan(1e-5));
      tf.dispose([got.value, got.grad, want.value, want.grad]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([logits, ids, weights]);
    });
  }

  it('the loss of a model on the fused NLL equals its loss on tfjs ops, value and gradients', async () => {
    await setBackend('native');
    const config = { ...base, cell: 'lstm', attention: 'general' } as ModelConfig;
    const fusedModel = Seq2SeqModel.create(config, { seed: 7 });
    const opsModel = Seq2SeqModel.create(config, { seed: 7, kernels: { ...activeKernelSet(), maskedNllSum: undefined } });
    const run = (model: Seq2SeqModel) => {
      const weights = [...model.trainableWeights().values()];
      const { value, grads } = tf.variableGrads(() => model.loss(tinyBatch(), { labelSmoothing: 0.1 }).loss, weights);
      const out = { loss: value.dataSync()[0]!, grads: weights.map((w) => grads[w.name]!.dataSync().slice()) };
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const [fused, ops] = [run(fusedModel), run(opsModel)];
    expect(fused.loss).toBeCloseTo(ops.loss, 5);
    fused.grads.forEach((g, k) => g.forEach((v, i) => expect(Math.abs(v - ops.grads[k]![i]!), `weight ${k}[${i}]`).toBeLessThan(1e-5)));
    fusedModel.dispose();
    opsModel.dispose();
  });

  it('passes a finite-difference gradient check', async () => {
    await setBackend('native');
    const model = Seq2SeqModel.create({ ...base, cell: 'lstm', attention: 'bahdanau', bidirectional: true } as ModelConfig, { seed: 5 });
    expect(gradientCheck(model, tinyBatch(), 3).worst).toBeLessThanOrEqual(1);
    model.dispose();
  });
});

describe.skipIf(unavailable !== undefined)('the native whole-layer LSTM kernel', () => {
  it('equals the step-by-step layer, forward and every gradient, on ragged rows (one of length 0)', async () => {
    await setBackend('native');
    const fused = activeKernelSet();
    expect(fused.lstmSequence).toBeDefined();
    const stepwise = { ...fused, lstmSequence: undefined, lstmSequenceGrad: undefined };
    const [B, H] = [5, 6];
    const active = new Int32Array([4, 4, 3, 1, 1]); // sorted rows of lengths 5, 5, 3, 2 … and one row that never runs
    const total = active.reduce((a, b) => a + b, 0);
    const inputs = [
      tf.randomNormal([total, 4 * H], 0, 1, 'float32', 1),
      tf.randomNormal([B, H], 0, 1, 'float32', 2),
      tf.randomNormal([B, H], 0, 1, 'float32', 3),
      tf.randomNormal([H, 4 * H], 0, 0.5, 'float32', 4),
    ] as tf.Tensor2D[];
    const probe = tf.randomNormal([total + 2 * B, H], 0, 1, 'float32', 5);
    const run = (kernels: typeof fused) => {
      const f = (g: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, u: tf.Tensor) =>
        tf.sum(
          tf.mul(lstmSequence(g as tf.Tensor2D, h0 as tf.Tensor2D, c0 as tf.Tensor2D, u as tf.Tensor2D, active, { kernels, differentiable: true }), probe),
        );
      const { value, grads } = tf.valueAndGrads(f)(inputs);
      const forward = lstmSequence(inputs[0]!, inputs[1]!, inputs[2]!, inputs[3]!, active, { kernels, differentiable: false });
      const out = { value: value.dataSync()[0]!, forward: forward.dataSync().slice(), grads: grads.map((g) => g.dataSync().slice()) };
      tf.dispose([value, forward, ...grads]);
      return out;
    };
    const before = tf.memory().numTensors;
    const [got, want] = [run(fused), run(stepwise)];
    expect(tf.memory().numTensors).toBe(before);
    expect(got.value).toBeCloseTo(want.value, 4);
    got.forward.forEach((v, i) => expect(Math.abs(v - want.forward[i]!), `out[${i}]`).toBeLessThan(1e-5));
    got.grads.forEach((g, k) => g.forEach((v, i) => expect(Math.abs(v - want.grads[k]![i]!), `grad ${k}[${i}]`).toBeLessThan(1e-4)));
    tf.dispose([...inputs, probe]);
  });

  it('rejects a bad layout with an error naming the kernel, not a crash', async () => {
    await setBackend('native');
    const lstm = activeKernelSet().lstmSequence!;
    const [g, h, c, u] = [tf.zeros([3, 8]), tf.zeros([2, 2]), tf.zeros([2, 2]), tf.zeros([2, 8])] as tf.Tensor2D[];
    expect(() => lstm({ gates: g, h0: h, c0: c, u }, new Int32Array([1, 2]), false)).toThrow(/SeqloomLstmSequence: active must be non-increasing/);
    expect(() => lstm({ gates: g, h0: h, c0: c, u }, new Int32Array([2, 2]), false)).toThrow(/SeqloomLstmSequence: the steps run 4 rows, the inputs have 3/);
    tf.dispose([g, h, c, u]);
  });
});
