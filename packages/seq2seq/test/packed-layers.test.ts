import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { type CellParams, type CellState, cellStep, createCell } from '../src/cells/cell.js';
import { CELL_REGISTRY } from '../src/cells/cell-registry.js';
import { packedLayout } from '../src/cells/packed-layout.js';
import { runLayer } from '../src/cells/run-layer.js';
import { setBackend } from '../src/index.js';
import { activeKernelSet } from '../src/kernels/kernel-registry.js';
import type { KernelPass } from '../src/kernels/kernel-set.js';
import { WeightStore } from '../src/model/weight-store.js';
import type { CellType } from '../src/model-contract.js';

const H = 6;
const I = 4;

/**
 * The unpacked reference: every row runs every step with the plain op LSTM
 * step, and a row past its length keeps its state (a per-step select). The
 * reverse walk reads row b's step t from position len − 1 − t.
 */
function referenceLayer(cell: CellParams, x: tf.Tensor2D, initial: CellState, lengths: Int32Array, steps: number, reverse: boolean, pass: KernelPass) {
  const rows = lengths.length;
  const outputs: tf.Tensor2D[] = new Array(steps);
  let state = initial;
  for (let t = 0; t < steps; t++) {
    const position = Int32Array.from(lengths, (len, b) => (reverse && t < len ? (len - 1 - t) * rows + b : t * rows + b));
    const input = tf.gather(x, tf.tensor1d(position, 'int32')) as tf.Tensor2D;
    const gates = tf.add(tf.matMul(input, cell.kernel), cell.bias) as tf.Tensor2D;
    const next = cellStep(cell, gates, state, pass);
    const running = tf
      .tensor2d(
        Array.from(lengths, (len) => (t < len ? 1 : 0)),
        [rows, 1],
      )
      .cast('bool')
      .tile([1, H]);
    state = next.map((s, k) => tf.where(running, s, state[k]!) as tf.Tensor2D);
    outputs[t] = state[0]!;
  }
  // outputs in time order: a reversed row's output for position p was produced at walk step len − 1 − p
  const all = tf.concat(outputs, 0) as tf.Tensor2D;
  const order = Int32Array.from({ length: steps * rows }, (_, i) => {
    const t = Math.floor(i / rows);
    const b = i % rows;
    return reverse && t < lengths[b]! ? (lengths[b]! - 1 - t) * rows + b : i;
  });
  return { outputs: tf.gather(all, tf.tensor1d(order, 'int32')) as tf.Tensor2D, final: state };
}

/** Loss over real positions and the final states, so every gradient is defined by real steps only. */
function lossOf(outputs: tf.Tensor2D, final: tf.Tensor2D[], lengths: Int32Array, steps: number, weights: tf.Tensor[]) {
  const rows = lengths.length;
  const mask = tf.tensor2d(
    Array.from({ length: steps * rows }, (_, i) => (Math.floor(i / rows) < lengths[i % rows]! ? 1 : 0)),
    [steps * rows, 1],
  );
  return tf.addN([tf.sum(tf.mul(tf.mul(outputs, mask), weights[0]!)), ...final.map((state, k) => tf.sum(tf.mul(state, weights[1 + k]!)))]);
}

async function compare(kind: CellType, backend: string, lengths: number[], steps: number, reverse: boolean): Promise<void> {
  await setBackend(backend as 'wasm' | 'cpu');
  const lens = Int32Array.from(lengths);
  const rows = lens.length;
  const store = new WeightStore(3);
  const cell = createCell(store, 'l', kind, I, H);
  const x = tf.randomNormal([steps * rows, I], 0, 1, 'float32', 4) as tf.Tensor2D;
  const h0 = tf.randomNormal([rows, H], 0, 1, 'float32', 5) as tf.Tensor2D;
  const c0 = tf.randomNormal([rows, H], 0, 1, 'float32', 6) as tf.Tensor2D;
  const weights = [
    tf.randomNormal([steps * rows, H], 0, 1, 'float32', 7),
    tf.randomNormal([rows, H], 0, 1, 'float32', 8),
    tf.randomNormal([rows, H], 0, 1, 'float32', 9),
  ];
  // with no step to run, only the initial state reaches the loss
  const empty = lengths.every((len) => len === 0);
  const states = CELL_REGISTRY[kind].states.length;
  const initial = [h0, c0].slice(0, states);
  const params = [...initial, ...(empty ? [] : [x, cell.kernel, cell.recurrent, cell.bias])];
  const before = tf.memory().numTensors;
  const kernels = activeKernelSet();
  const training: KernelPass = { kernels, differentiable: true };
  const inference: KernelPass = { kernels, differentiable: false };
  const run = (packed: boolean) =>
    tf.tidy(() => {
      const f = (...a: tf.Tensor[]) => {
        const start = a.slice(0, states) as tf.Tensor2D[];
        const xs = (empty ? x : a[states]) as tf.Tensor2D;
        const cellNow = (empty ? cell : { ...cell, kernel: a[states + 1], recurrent: a[states + 2], bias: a[states + 3] }) as CellParams;
        const result = packed
          ? runLayer(cellNow, xs, steps, rows, training, { lengths: lens, reverse, initial: start })
          : referenceLayer(cellNow, xs, start, lens, steps, reverse, training);
        const outputs = tf.reshape(result.outputs, [steps * rows, H]) as tf.Tensor2D;
        return lossOf(outputs, result.final, lens, steps, weights) as tf.Scalar;
      };
      const { value, grads } = tf.valueAndGrads(f)(params);
      // tape off: the inference forward
      const plain = packed
        ? runLayer(cell, x, steps, rows, inference, { lengths: lens, reverse, initial })
        : referenceLayer(cell, x, initial, lens, steps, reverse, inference);
      const real = tf.tensor2d(
        Array.from({ length: steps * rows }, (_, i) => (Math.floor(i / rows) < lens[i % rows]! ? 1 : 0)),
        [steps * rows, 1],
      );
      const outputs = tf.mul(tf.reshape(plain.outputs, [steps * rows, H]), real);
      return [value, ...grads, outputs, ...plain.final].map((t) => Array.from(t.dataSync()));
    });
  const got = run(true);
  const want = run(false);
  expect(tf.memory().numTensors).toBe(before);
  got.forEach((values, i) => {
    expect(values.length).toBe(want[i]!.length);
    values.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(want[i]![j]!))));
  });
  tf.dispose([x, h0, c0, ...weights]);
  store.dispose();
}

afterAll(async () => {
  await setBackend('wasm');
});

describe('packed recurrent layers', () => {
  it('sorts rows by length and counts the running rows per step', () => {
    const layout = packedLayout(Int32Array.from([2, 3, 0, 3]), 3);
    expect(Array.from(layout.order)).toEqual([1, 3, 0, 2]);
    expect(Array.from(layout.active)).toEqual([3, 3, 2]);
    expect(layout.total).toBe(8);
    expect(Array.from(layout.fullRow)).toEqual([1, 3, 0, 5, 7, 4, 9, 11]);
    const reversed = packedLayout(Int32Array.from([2, 3, 0, 3]), 3, true);
    expect(Array.from(reversed.fullRow)).toEqual([9, 11, 4, 5, 7, 0, 1, 3]);
  });

  const cases: [string, number[], number][] = [
    ['ragged rows', [5, 3, 4, 2, 5], 5],
    ['rows of length 0 and 1', [3, 0, 1, 3, 0], 3],
    ['a single row', [2], 4],
    ['a single empty row', [0], 2],
    ['full rows', [3, 3, 3], 3],
  ];
  for (const kind of Object.keys(CELL_REGISTRY) as CellType[]) {
    for (const backend of ['wasm', 'cpu']) {
      for (const [name, lengths, steps] of cases) {
        for (const reverse of [false, true]) {
          it(`${kind} on ${backend}, ${name}${reverse ? ', reversed' : ''}: same loss, gradients and outputs as the unpacked reference`, async () => {
            await compare(kind, backend, lengths, steps, reverse);
          });
        }
      }
    }
  }
});
