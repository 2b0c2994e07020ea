import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SeqKernels } from './kernel-set.js';
import { referenceKernels } from './reference-kernels.js';
import { installWasmKernels, wasmKernels } from './wasm-kernels.js';

// Each kernel of the wasm set against the reference set (the oracle), called
// directly on the same inputs, on the wasm backend.

const seeded = (shape: number[], seed: number, scale = 1) => tf.randomUniform(shape, -scale, scale, 'float32', seed) as tf.Tensor2D;

/** Values of `fn`'s outputs on each set; checks that neither leaks a tensor. */
function onBoth(fn: (kernels: SeqKernels) => tf.Tensor[]): [number[][], number[][]] {
  const values = (kernels: SeqKernels) => {
    const before = tf.memory().numTensors;
    const outs = fn(kernels);
    const arrays = outs.map((t) => Array.from(t.dataSync()));
    tf.dispose(outs);
    expect(tf.memory().numTensors).toBe(before);
    return arrays;
  };
  return [values(wasmKernels), values(referenceKernels)];
}

function expectClose([got, want]: [number[][], number[][]], tolerance = 2e-6): void {
  expect(got.map((v) => v.length)).toEqual(want.map((v) => v.length));
  got.forEach((values, i) => values.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want[i]![j]!)))));
}

beforeAll(async () => {
  installWasmKernels();
  await tf.setBackend('wasm');
});

describe('wasm kernel set against the reference set', () => {
  // hidden sizes on the SIMD path (multiples of 4) and off it; c with more rows than x (leading rows read)
  it.each([
    [3, 8, 3],
    [5, 7, 5],
    [2, 12, 4],
    [1, 1, 3],
  ])('lstmCell and lstmCellFull, %i rows, hidden %i, c of %i rows', (rows, hidden, cRows) => {
    const x = seeded([rows, 4 * hidden], 1, 10);
    const r = seeded([rows, 4 * hidden], 2, 3);
    const c = seeded([cRows, hidden], 3, 3);
    expectClose(onBoth((k) => k.lstmCell(x, r, c)));
    expectClose(onBoth((k) => k.lstmCellFull(x, r, c)));
    tf.dispose([x, r, c]);
  });

  // a step whose first `carried` rows continue into the next step, the rest end here
  it.each([
    [4, 2],
    [4, 0],
    [3, 3],
  ])('lstmCellGrad, %i rows at the step, %i carried', (n, carried) => {
    const hidden = 5;
    const rows = 4; // batch B
    const total = 9; // packed rows P
    const outRow = 2;
    const act = tf.sigmoid(seeded([n, 4 * hidden], 4, 3)) as tf.Tensor2D;
    const cPrev = seeded([rows, hidden], 5);
    const tanhC = tf.tanh(seeded([n, hidden], 6, 2)) as tf.Tensor2D;
    const dy = seeded([total + 2 * rows, hidden], 7);
    const dhNext = seeded([Math.max(carried, 1), hidden], 8);
    const dcNext = seeded([Math.max(carried, 1), hidden], 9);
    const attrs = { outRow, finalRow: total, carried };
    expectClose(onBoth((k) => k.lstmCellGrad({ act, cPrev, tanhC, dy, dhNext, dcNext }, attrs)));
    tf.dispose([act, cPrev, tanhC, dy, dhNext, dcNext]);
  });

  it.each([
    [3, 6],
    [1, 1],
    [4, 8],
  ])('gruCell and rnnCell, %i rows, hidden %i', (rows, hidden) => {
    const x = seeded([rows, 3 * hidden], 10, 8);
    const r = seeded([rows, 3 * hidden], 11, 3);
    const h = seeded([rows, hidden], 12);
    expectClose(onBoth((k) => [k.gruCell(x, r, h)]));
    const xh = seeded([rows, hidden], 13, 6);
    expectClose(onBoth((k) => [k.rnnCell(xh, h)]));
    tf.dispose([x, r, h, xh]);
  });

  it('segmentSum adds repeated ids and drops ids outside the rows', () => {
    const dy = seeded([6, 3], 14);
    const ids = tf.tensor1d([2, 0, 2, 5, 1, 2], 'int32'); // 5 is outside 4 rows
    const [got, want] = onBoth((k) => [k.segmentSum(dy, ids, 4)]);
    expect(got).toEqual(want); // one addition order: the same floats
    const d = dy.arraySync();
    const sum = (...rows: number[]) => [0, 1, 2].map((k) => rows.reduce((acc, row) => Math.fround(acc + d[row]![k]!), 0));
    // row 0 ← dy[1], row 1 ← dy[4], row 2 ← dy[0] + dy[2] + dy[5], row 3 ← nothing; dy[3] (id 5) dropped
    expect(want[0]).toEqual([...sum(1), ...sum(4), ...sum(0, 2, 5), 0, 0, 0]);
    tf.dispose([dy, ids]);
  });
});
