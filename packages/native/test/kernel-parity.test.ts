import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerNativeBackend } from '../src/index.js';
import { unavailable } from './native-available.js';

/** Runs `f` on the cpu backend (the reference) and on native; returns both results as arrays. */
async function both(f: () => tf.Tensor | tf.Tensor[]): Promise<[number[][], number[][]]> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    tf.setSeed?.(0);
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => Array.from(t.dataSync()));
    tf.dispose(list);
    return values;
  };
  return [await run('cpu'), await run('native')];
}

function expectClose(actual: number[][], expected: number[][], tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, k) => {
    expect(values.length).toBe(expected[k]!.length);
    values.forEach((v, i) => {
      const e = expected[k]![i]!;
      expect(Math.abs(v - e), `output ${k}[${i}]: ${v} vs ${e}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(e)));
    });
  });
}

/** A deterministic tensor (no RNG: identical on both backends). */
function filled(shape: number[], seed = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Array.from({ length: size }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 2),
    shape,
  );
}

describe.skipIf(unavailable !== undefined)('native kernels equal the cpu reference', () => {
  beforeAll(() => registerNativeBackend());

  it('matMul in every transpose form, batched and broadcast', async () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const [cpu, native] = await both(() => tf.matMul(filled(ta ? [7, 5] : [5, 7]), filled(tb ? [3, 7] : [7, 3], 2), ta, tb));
      expectClose(native, cpu);
    }
    const [cpu, native] = await both(() => [
      tf.matMul(filled([2, 3, 4, 5]), filled([2, 3, 5, 6], 2)),
      tf.matMul(filled([4, 4, 5]), filled([5, 6], 2)),
      tf.matMul(filled([4, 5]), filled([3, 6, 5], 2), false, true),
    ]);
    expectClose(native, cpu);
  });

  it('fused matMul with bias and activations (and elu through the stock kernel)', async () => {
    const [cpu, native] = await both(() =>
      (['linear', 'relu', 'relu6', 'sigmoid', 'leakyrelu', 'elu'] as const).flatMap((activation) => [
        tf.fused.matMul({ a: filled([6, 4]), b: filled([4, 5], 2), bias: filled([5], 3), activation }),
        tf.fused.matMul({ a: filled([4, 6]), b: filled([5, 4], 2), transposeA: true, transposeB: true, bias: filled([6, 5], 3), activation }),
      ]),
    );
    expectClose(native, cpu);
  });

  it('elementwise arithmetic with scalar, row and column broadcasts, and unary maths', async () => {
    const [cpu, native] = await both(() => {
      const a = filled([4, 3, 5]);
      const out: tf.Tensor[] = [];
      for (const b of [filled([4, 3, 5], 2), tf.scalar(1.5), filled([5], 3), filled([1, 3, 5], 4), filled([4, 3, 1], 5), filled([4, 1, 5], 6)]) {
        out.push(tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.div(a, tf.add(tf.abs(b), 0.5)), tf.sub(b, a));
      }
      const p = tf.add(tf.abs(a), 0.1);
      out.push(tf.sqrt(p), tf.square(a), tf.exp(a), tf.log(p), tf.neg(a), tf.rsqrt(p), tf.sigmoid(a), tf.tanh(a), tf.relu(a), tf.abs(a));
      return out;
    });
    expectClose(native, cpu);
  });

  it('gather, transpose, sum and unsortedSegmentSum', async () => {
    const [cpu, native] = await both(() => {
      const x = filled([5, 4, 3]);
      const ids = tf.tensor1d([4, 0, 0, 2], 'int32');
      return [
        tf.gather(x, ids),
        tf.gather(x, tf.tensor1d([3, 1], 'int32'), 1),
        tf.gather(
          x,
          tf.tensor2d(
            [
              [2, 1],
              [0, 2],
            ],
            [2, 2],
            'int32',
          ),
          2,
        ),
        tf.transpose(x, [1, 0, 2]),
        tf.transpose(x, [2, 0, 1]),
        tf.transpose(x, [0, 1, 2]),
        tf.transpose(filled([6, 7])),
        tf.sum(x),
        tf.sum(x, 0),
        tf.sum(x, [0, 1]),
        tf.sum(x, -1, true),
        tf.sum(x, [1, 2]),
        tf.sum(x, 1),
        tf.unsortedSegmentSum(filled([6, 3]), tf.tensor1d([2, 0, 2, 7, 1, 2], 'int32'), 4),
        tf.cast(tf.gather(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([2, 2, 0], 'int32')), 'float32'),
      ];
    });
    expectClose(native, cpu);
  });

  it('outputs of 1,024 elements and more (not zero-filled first) are written in full', async () => {
    const ids = tf.tensor1d(
      Array.from({ length: 50 }, (_, i) => (i % 7 === 0 ? -1 : i % 30)),
      'int32',
    );
    const [cpu, native] = await both(() => {
      const x = filled([50, 40]);
      return [
        tf.unsortedSegmentSum(x, ids, 40), // segments 30..39 receive no row: zeros
        tf.matMul(tf.zeros([40, 0]), tf.zeros([0, 40])), // k = 0: zeros
        tf.matMul(x, filled([40, 30], 2)),
        tf.add(x, filled([40], 3)),
        tf.mul(x, 2),
        tf.exp(tf.neg(tf.square(x))),
        tf.gather(x, tf.tensor1d([3, 3, 0, 49], 'int32')),
        tf.concat([x, x], 1),
        tf.slice(x, [1, 2], [40, 30]),
        tf.transpose(x),
        tf.softmax(x),
        ...tf.split(tf.concat([x, x], 0), [30, 70], 0),
      ];
    });
    expectClose(native, cpu);
    ids.dispose();
  });

  it('constant padding (the gradient of slice) on every axis', async () => {
    const [cpu, native] = await both(() => {
      const x = filled([3, 4, 5]);
      return [
        tf.pad(x, [
          [1, 2],
          [0, 3],
          [2, 1],
        ]),
        tf.pad(x, [
          [0, 0],
          [0, 0],
          [0, 0],
        ]),
        tf.pad(
          x,
          [
            [0, 1],
            [2, 0],
            [0, 0],
          ],
          -1.5,
        ),
        tf.pad(filled([40, 30]), [
          [3, 1],
          [5, 9],
        ]),
        tf.pad(filled([7]), [[2, 3]], 4),
        tf.pad(tf.zeros([0, 3]), [
          [1, 1],
          [0, 0],
        ]),
        tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.slice(y, [1, 1, 0], [2, 2, 4]), filled([2, 2, 4], 2))))(x),
      ];
    });
    expectClose(native, cpu);
  });

  it('split, concat, slice along any axis, and softmax', async () => {
    const [cpu, native] = await both(() => {
      const x = filled([4, 3, 6]);
      const ints = tf.tensor3d(
        Array.from({ length: 24 }, (_, i) => i),
        [2, 3, 4],
        'int32',
      );
      return [
        ...tf.split(x, 3, 2),
        ...tf.split(x, [1, 2], 1),
        ...tf.split(x, [3, -1], 0),
        tf.concat([x, filled([4, 2, 6], 2)], 1),
        tf.concat([x, filled([4, 3, 1], 3), x], 2),
        tf.concat([x, x], 0),
        tf.slice(x, [1, 1, 2], [2, 2, 3]),
        tf.slice(x, [0, 2, 0], [-1, 1, -1]),
        tf.slice(x, [3, 0, 0], [1, 3, 6]),
        tf.cast(tf.concat([ints, ints], 2), 'float32'),
        tf.cast(tf.slice(ints, [0, 1, 1], [2, 2, 2]), 'float32'),
        tf.softmax(x),
        tf.softmax(filled([5, 7], 4)),
      ];
    });
    expectClose(native, cpu);
  });

  it('gradients of an embedding, a fused matMul and a log-softmax loss', async () => {
    const [cpu, native] = await both(() => {
      const table = filled([6, 4]);
      const w = filled([4, 5], 2);
      const loss = (t: tf.Tensor, v: tf.Tensor) => {
        const rows = tf.gather(t, tf.tensor1d([1, 3, 3, 0, 5], 'int32'));
        return tf.sum(tf.mul(tf.logSoftmax(tf.matMul(rows, v)), filled([5, 5], 3)));
      };
      const { value, grads } = tf.valueAndGrads((t: tf.Tensor, v: tf.Tensor) => loss(t, v))([table, w]);
      const out = [value, ...grads];
      return out;
    });
    expectClose(native, cpu, 1e-4);
  });
});
