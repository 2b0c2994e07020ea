import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Seq2SeqModel, setBackend } from '../src/index.js';
import { activeKernelSet, kernelSetFor, referenceKernels, registerKernelSet, type SeqKernels, wasmKernels } from '../src/kernels/index.js';
import { modelInternals } from '../src/seq2seq-model.js';
import { lossValue, tinyBatch } from './support/fixtures.js';

const small = { sourceVocabSize: 12, targetVocabSize: 12, hiddenSize: 8, embeddingSize: 6 };

/** The reference set with a call count per kernel: a stand-in for a third engine's set. */
function countingSet(): { kernels: SeqKernels; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = <F extends (...args: never[]) => unknown>(name: string, f: F): F =>
    ((...args: Parameters<F>) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return f(...args);
    }) as F;
  const r = referenceKernels;
  const kernels: SeqKernels = {
    name: 'counting',
    lstmCell: count('lstmCell', r.lstmCell),
    lstmCellFull: count('lstmCellFull', r.lstmCellFull),
    lstmCellGrad: count('lstmCellGrad', r.lstmCellGrad),
    gruCell: count('gruCell', r.gruCell),
    rnnCell: count('rnnCell', r.rnnCell),
    segmentSum: count('segmentSum', r.segmentSum),
  };
  return { kernels, calls };
}

describe('kernel sets', () => {
  it('setBackend chooses the set of its backend once; a model captures it at construction', async () => {
    await setBackend('wasm');
    expect(activeKernelSet()).toBe(wasmKernels);
    const onWasm = Seq2SeqModel.create(small, { seed: 1 });
    expect(modelInternals(onWasm).kernels).toBe(wasmKernels);
    await setBackend('cpu');
    expect(activeKernelSet()).toBe(referenceKernels);
    expect(modelInternals(onWasm).kernels).toBe(wasmKernels);
    const explicit = Seq2SeqModel.create(small, { seed: 1, kernels: wasmKernels });
    expect(modelInternals(explicit).kernels).toBe(wasmKernels);
    onWasm.dispose();
    explicit.dispose();
  });

  it('gives the reference set after a plain tf.setBackend', async () => {
    await setBackend('wasm');
    expect(await tf.setBackend('cpu')).toBe(true);
    expect(activeKernelSet()).toBe(referenceKernels);
    expect(await tf.setBackend('wasm')).toBe(true);
    expect(activeKernelSet()).toBe(wasmKernels); // the backend setBackend chose is active again
  });

  it('plugs a registered set into every model built after setBackend, install first', async () => {
    const { kernels, calls } = countingSet();
    let installs = 0;
    registerKernelSet('cpu', kernels, () => installs++);
    expect(kernelSetFor('cpu').kernels).toBe(kernels);
    await setBackend('cpu');
    expect(installs).toBe(1);
    const model = Seq2SeqModel.create({ ...small, cell: 'lstm' }, { seed: 3 });
    expect(modelInternals(model).kernels).toBe(kernels);
    const batch = tinyBatch();
    const evaluated = lossValue(model, batch, { training: false, differentiable: false });
    expect(calls.get('lstmCell')).toBeGreaterThan(0);
    const trained = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: false }).loss);
      tf.dispose(grads);
      return value.dataSync()[0]!;
    });
    expect(calls.get('lstmCellFull')).toBeGreaterThan(0);
    expect(calls.get('lstmCellGrad')).toBeGreaterThan(0);
    expect(calls.get('segmentSum')).toBeGreaterThan(0);
    expect(trained).toBeCloseTo(evaluated, 5);
    model.dispose();
    registerKernelSet('cpu', referenceKernels);
    await setBackend('wasm');
  });

  it('names the bad backend name', () => {
    expect(() => registerKernelSet('', referenceKernels)).toThrow(/backendName is empty/);
  });
});
