import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellStep, createCell } from '../cells/cell.js';
import { gruStep } from '../cells/gru-step.js';
import { lstmSequence } from '../cells/lstm-sequence.js';
import { lstmStep } from '../cells/lstm-step.js';
import { rnnSequence } from '../cells/rnn-sequence.js';
import { rnnStep } from '../cells/rnn-step.js';
import { WeightStore } from '../model/weight-store.js';
import { GRU_CELL_KERNEL } from './gru-cell.js';
import type { KernelPass, SeqKernels } from './kernel-set.js';
import { LSTM_CELL_GRAD_KERNEL } from './lstm-cell-grad.js';
import { LSTM_CELL_KERNEL } from './lstm-cell-wasm.js';
import { referenceKernels } from './reference-kernels.js';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { RNN_CELL_KERNEL } from './rnn-cell.js';
import { wasmKernels } from './wasm-kernels.js';

const B = 5;
const H = 7;
const T = 4;

function seeded(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.randomUniform(shape, -scale, scale, 'float32', seed);
}

/**
 * Runs `fn` on the wasm kernel set with the fused kernels registered (true),
 * or on the reference set with them unregistered (so it cannot reach them),
 * returning plain arrays; checks no tensor leaks.
 */
function run(fused: boolean, fn: (kernels: SeqKernels) => tf.Tensor[]): number[][] {
  if (fused) registerSeqloomWasmKernels();
  else [LSTM_CELL_KERNEL, LSTM_CELL_GRAD_KERNEL, GRU_CELL_KERNEL, RNN_CELL_KERNEL].forEach((name) => tf.unregisterKernel(name, 'wasm'));
  expect(tf.getKernel(LSTM_CELL_KERNEL, 'wasm') !== undefined).toBe(fused);
  expect(tf.getKernel(LSTM_CELL_GRAD_KERNEL, 'wasm') !== undefined).toBe(fused);
  expect(tf.getKernel(GRU_CELL_KERNEL, 'wasm') !== undefined).toBe(fused);
  expect(tf.getKernel(RNN_CELL_KERNEL, 'wasm') !== undefined).toBe(fused);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(() => fn(fused ? wasmKernels : referenceKernels));
  const values = outs.map((t) => Array.from(t.dataSync()));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

function expectClose(got: number[][], want: number[][], tolerance = 2e-6): void {
  expect(got.length).toBe(want.length);
  got.forEach((values, i) => {
    expect(values.length).toBe(want[i]!.length);
    values.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want[i]![j]!))));
  });
}

beforeAll(async () => {
  registerSeqloomWasmKernels();
  await tf.setBackend('wasm');
});

afterAll(() => registerSeqloomWasmKernels());

describe('fused cell kernels (wasm)', () => {
  it('is chosen by the pass, not the tape: a differentiable step runs the reference ops, the fused kernels have no gradient', () => {
    registerSeqloomWasmKernels();
    const store = new WeightStore(1);
    for (const kind of ['lstm', 'gru', 'rnn'] as const) {
      const cell = createCell(store, kind, kind, 3, H);
      const x = seeded([B, cell.recurrent.shape[1]!], 31) as tf.Tensor2D;
      const state = (kind === 'lstm' ? [seeded([B, H], 32), seeded([B, H], 33)] : [seeded([B, H], 32)]) as tf.Tensor2D[];
      const gradOf = (pass: KernelPass) => tf.grad((g: tf.Tensor) => tf.sum(cellStep(cell, g as tf.Tensor2D, state, pass)[0]!))(x);
      const fromWasmSet = gradOf({ kernels: wasmKernels, differentiable: true });
      const fromReference = gradOf({ kernels: referenceKernels, differentiable: true });
      expect(Array.from(fromWasmSet.dataSync())).toEqual(Array.from(fromReference.dataSync()));
      expect(() => gradOf({ kernels: wasmKernels, differentiable: false })).toThrow(/gradient/i);
      tf.dispose([x, ...state, fromWasmSet, fromReference]);
    }
    store.dispose();
  });

  it('lstmStep matches the unfused op path, saturated gates included', () => {
    const step = (kernels: SeqKernels) => {
      const u = seeded([H, 4 * H], 1, 0.5);
      const x = seeded([B, 4 * H], 2, 12) as tf.Tensor2D; // far into both tails of σ and tanh
      const h = seeded([B, H], 3) as tf.Tensor2D;
      const c = seeded([B, H], 4, 3) as tf.Tensor2D;
      return lstmStep(kernels, u, x, h, c);
    };
    expectClose(run(true, step), run(false, step));
  });

  it('gruStep matches the unfused op path', () => {
    const step = (kernels: SeqKernels) => {
      const u = seeded([H, 3 * H], 11, 0.5);
      const bias = seeded([3 * H], 12);
      const x = seeded([B, 3 * H], 13, 8) as tf.Tensor2D;
      const h = seeded([B, H], 14) as tf.Tensor2D;
      return gruStep(kernels, u, bias, x, h);
    };
    expectClose(run(true, step), run(false, step));
  });

  it('rnnStep, and rnnSequence forward and gradients, match the unfused op path', () => {
    const step = (kernels: SeqKernels) => {
      const u = seeded([H, H], 15, 0.5);
      const x = seeded([B, H], 16, 6) as tf.Tensor2D;
      const h = seeded([B, H], 17) as tf.Tensor2D;
      return rnnStep(kernels, u, x, h);
    };
    expectClose(run(true, step), run(false, step));
    const active = Int32Array.from([B, B - 1, 2, 2]); // packed: running rows per step
    const packed = active.reduce((sum, n) => sum + n, 0);
    const sequence = (kernels: SeqKernels) => {
      const xs = seeded([packed, H], 18, 2) as tf.Tensor2D;
      const h0 = seeded([B, H], 19) as tf.Tensor2D;
      const u = seeded([H, H], 21, 0.5) as tf.Tensor2D;
      const weights = seeded([packed + B, H], 23);
      const training = { kernels, differentiable: true };
      const loss = (...a: tf.Tensor[]) => tf.sum(tf.mul(rnnSequence(a[0] as tf.Tensor2D, a[1] as tf.Tensor2D, a[2] as tf.Tensor2D, active, training), weights));
      return [rnnSequence(xs, h0, u, active, { kernels, differentiable: false }), ...tf.grads(loss)([xs, h0, u])];
    };
    expectClose(run(true, sequence), run(false, sequence), 1e-5);
  });

  // running rows per step: all full, ragged, rows of length 0 and 1, a single row
  it.each([[[5, 5, 5, 5]], [[5, 4, 2, 1]], [[4, 3, 3, 0]], [[2, 0, 0, 0]], [[1, 1, 1, 1]]])(
    'lstmSequence forward and gradients (fused forward and backward kernels) match the op path, running rows %j',
    (counts) => {
      const active = Int32Array.from(counts);
      const packed = counts.reduce((sum, n) => sum + n, 0);
      const rows = counts[0] === 1 ? 1 : B;
      const sequence = (kernels: SeqKernels) => {
        const gates = seeded([packed, 4 * H], 5, 2) as tf.Tensor2D;
        const h0 = seeded([rows, H], 6) as tf.Tensor2D;
        const c0 = seeded([rows, H], 7) as tf.Tensor2D;
        const u = seeded([H, 4 * H], 8, 0.5) as tf.Tensor2D;
        const weights = seeded([packed + 2 * rows, H], 9);
        const loss = (g: tf.Tensor, h: tf.Tensor, c: tf.Tensor, r: tf.Tensor) =>
          tf.sum(
            tf.mul(lstmSequence(g as tf.Tensor2D, h as tf.Tensor2D, c as tf.Tensor2D, r as tf.Tensor2D, active, { kernels, differentiable: true }), weights),
          );
        const grads = tf.grads(loss)([gates, h0, c0, u]);
        return [lstmSequence(gates, h0, c0, u, active, { kernels, differentiable: false }), ...grads];
      };
      expectClose(run(true, sequence), run(false, sequence), 1e-5);
    },
  );
});
