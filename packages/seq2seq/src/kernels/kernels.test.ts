import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { copyRegion } from './slice-rows.js';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum.js';

/** Runs `fn` on a backend with plain-array inputs and returns plain arrays. */
async function on(backend: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(() => [fn()].flat());
  const values = outs.map((t) => Array.from(t.dataSync()));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

async function expectParity(fn: () => tf.Tensor | tf.Tensor[], tolerance = 1e-4): Promise<void> {
  const want = await on('cpu', fn);
  const got = await on('wasm', fn);
  expect(got.length).toBe(want.length);
  got.forEach((values, i) => {
    expect(values.length).toBe(want[i]!.length);
    values.forEach((v, j) => expect(Math.abs(v - want[i]![j]!)).toBeLessThanOrEqual(tolerance * (1 + Math.abs(want[i]![j]!))));
  });
}

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
const stockSlice = tf.getKernel('Slice', 'wasm');
const stockUnpack = tf.getKernel('Unpack', 'wasm');

beforeAll(async () => {
  registerSeqloomWasmKernels();
  registerUnsortedSegmentSum();
  await tf.setBackend('wasm');
});

describe('registerSeqloomWasmKernels', () => {
  it('replaces the stock kernels once and keeps their setup', () => {
    const matMul = tf.getKernel('BatchMatMul', 'wasm');
    expect(matMul.kernelFunc).not.toBe(stockMatMul.kernelFunc);
    expect(matMul.setupFunc).toBe(stockMatMul.setupFunc);
    expect(tf.getKernel('Slice', 'wasm').kernelFunc).not.toBe(stockSlice.kernelFunc);
    expect(tf.getKernel('Unpack', 'wasm').kernelFunc).not.toBe(stockUnpack.kernelFunc);
    registerSeqloomWasmKernels();
    expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).toBe(matMul.kernelFunc);
  });
});

describe('matMul with transposed operands on wasm', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[2, 5, 7], [2, 3, 5], true, true],
    [[2, 6, 4], [4, 3], false, false],
    [[2, 4, 6], [3, 4], true, true],
    [[1, 40, 33], [1, 40, 17], true, false],
  ];
  for (const [sa, sb, ta, tb] of cases) {
    it(`matches cpu for ${JSON.stringify(sa)}×${JSON.stringify(sb)} tA=${ta} tB=${tb}`, async () => {
      await expectParity(() => tf.matMul(seeded(sa, 1), seeded(sb, 2), ta, tb));
    });
  }

  it('matches cpu for fused matMul with bias and activation', async () => {
    await expectParity(() =>
      tf.fused.matMul({ a: seeded([6, 4], 3), b: seeded([5, 6], 4), transposeA: true, transposeB: true, bias: seeded([5], 5), activation: 'relu' }),
    );
  });

  it('matches cpu for the gradients of a matMul chain', async () => {
    await expectParity(() => {
      const x = seeded([8, 6], 6);
      const w = seeded([6, 10], 7);
      const v = seeded([10, 3], 8);
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.tanh(tf.matMul(tf.matMul(x, a), b)).sum() as tf.Scalar;
      return tf.grads(f)([w, v]);
    });
  });
});

describe('Slice on wasm', () => {
  it('matches cpu for slices of every rank and dtype', async () => {
    await expectParity(() => [
      tf.slice(seeded([10], 9), [3], [4]),
      tf.slice(seeded([6, 7], 10), [1, 2], [3, 4]),
      tf.slice(seeded([6, 7], 11), [2, 0], [3, 7]),
      tf.slice(seeded([4, 5, 6], 12), [1, 1, 2], [2, 3, 3]),
      tf.slice(seeded([3, 4, 5, 6], 13), [1, 0, 2, 1], [2, 4, 2, 5]),
      tf.slice(seeded([2, 3, 4, 5, 2], 14), [0, 1, 1, 0, 1], [2, 2, 3, 5, 1]),
      tf.slice(tf.range(0, 60, 1, 'int32').reshape([5, 12]), [1, 3], [3, 6]),
      tf.slice(
        tf.tensor2d(
          [
            [true, false, true],
            [false, true, true],
          ],
          [2, 3],
          'bool',
        ),
        [0, 1],
        [2, 2],
      ),
      tf.slice(seeded([4, 5], 15), [1, 1], [0, 2]),
    ]);
  });

  it('matches cpu for split and unstack over a sequence', async () => {
    await expectParity(() => [
      ...tf.split(seeded([3, 20, 8], 16), 20, 1),
      ...tf.unstack(seeded([20, 3, 8], 17)),
      ...tf.split(seeded([5, 32], 18), 4, 1),
      ...tf.split(seeded([6, 10], 20), [2, 5, 3], 1),
      ...tf.unstack(seeded([4, 3, 5], 21), 2),
      ...tf.unstack(tf.range(0, 12, 1, 'int32').reshape([3, 4]), -1),
    ]);
  });

  it('matches cpu for the gradient of a slice', async () => {
    await expectParity(() => tf.grad((x: tf.Tensor) => tf.slice(x, [1, 2], [2, 3]).square().sum() as tf.Scalar)(seeded([4, 6], 19)));
  });
});

describe('GatherV2 on wasm', () => {
  it('matches cpu for row gathers, other axes, int32 and repeated rows', async () => {
    await expectParity(() => [
      tf.gather(seeded([7, 5], 22), tf.tensor1d([6, 0, 3, 3, 1], 'int32')),
      tf.gather(
        seeded([4, 3, 2], 23),
        tf.tensor2d(
          [
            [3, 1],
            [0, 0],
          ],
          [2, 2],
          'int32',
        ),
      ),
      tf.gather(seeded([5], 24), tf.tensor1d([4, 2], 'int32')),
      tf.gather(seeded([4, 6], 25), tf.tensor1d([5, 1], 'int32'), 1),
      tf.gather(tf.range(0, 12, 1, 'int32').reshape([6, 2]), tf.tensor1d([5, 2, 2], 'int32')),
      tf.gather(seeded([3, 4], 26), tf.tensor1d([], 'int32')),
    ]);
  });

  it('matches cpu for the gradient of an embedding lookup', async () => {
    await expectParity(() =>
      tf.grad(
        (e: tf.Tensor) =>
          tf
            .gather(e, tf.tensor1d([2, 0, 2, 1], 'int32'))
            .square()
            .sum() as tf.Scalar,
      )(seeded([3, 4], 27)),
    );
  });

  it('rejects an index outside the rows and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const x = seeded([3, 2], 28);
    const before = tf.memory().numTensors;
    expect(() => tf.gather(x, tf.tensor1d([1, 3], 'int32'))).toThrow(/index value 3 at position 1 is not in \[0, 2\]/);
    expect(tf.memory().numTensors).toBe(before + 1); // the indices tensor only
    x.dispose();
  });
});

describe('copyRegion', () => {
  it('copies a 3-d region into a dense array', () => {
    const src = Float32Array.from({ length: 24 }, (_, i) => i); // [2, 3, 4]
    const dst = new Float32Array(4);
    copyRegion(src, dst, [2, 3, 4], [1, 1, 1], [1, 2, 2]);
    expect(Array.from(dst)).toEqual([17, 18, 21, 22]);
  });
});

describe('Identity on wasm shares data', () => {
  it('a clone keeps its values after the original is freed, and frees its buffer last', async () => {
    registerSeqloomWasmKernels();
    await tf.setBackend('wasm');
    const before = tf.memory();
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const copy = tf.clone(x);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers + 1); // one shared buffer
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    const grads = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(a, tf.clone(a))))(copy); // saved inputs are clones
    expect(Array.from(grads.dataSync())).toEqual([2, 4, 6, 8]);
    tf.dispose([copy, grads]);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    expect(tf.clone(tf.tensor1d(['a', 'b'], 'string')).dataSync()).toEqual(['a', 'b']); // strings: the stock kernel
  });
});
