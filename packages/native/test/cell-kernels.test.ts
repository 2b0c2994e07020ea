import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gruCell, lstmCell, lstmCellFull, lstmCellGrad, rnnCell } from '../src/cells.js';
import { registerNativeBackend } from '../src/index.js';
import { unavailable } from './native-available.js';

function filled(shape: [number, number], seed: number, scale = 2): tf.Tensor2D {
  const size = shape[0] * shape[1];
  return tf.tensor2d(
    Array.from({ length: size }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * scale),
    shape,
  );
}

/** The LSTM step in plain tfjs ops (gates [i, f, g, o]): [h', c']. */
function lstmReference(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const [i, f, g, o] = tf.split(tf.add(x, r), 4, 1);
  const cNext = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
  return [tf.mul(tf.sigmoid(o!), tf.tanh(cNext)) as tf.Tensor2D, cNext];
}

/** Native and reference values, each computed on its own backend. */
async function compare(native: () => tf.Tensor[], reference: () => tf.Tensor[], tolerance = 2e-6): Promise<void> {
  const values = async (backend: string, f: () => tf.Tensor[]) => {
    await tf.setBackend(backend);
    const out = tf.tidy(f);
    const arrays = out.map((t) => Array.from(t.dataSync()));
    tf.dispose(out);
    return arrays;
  };
  const got = await values('native', native);
  const want = await values('cpu', reference);
  expect(got.length).toBe(want.length);
  got.forEach((g, k) => g.forEach((v, i) => expect(Math.abs(v - want[k]![i]!), `output ${k}[${i}]`).toBeLessThanOrEqual(tolerance)));
}

const B = 5;
const H = 7;

describe.skipIf(unavailable !== undefined)('native cell kernels equal the tfjs reference', () => {
  beforeAll(() => registerNativeBackend());

  it('lstmCell and lstmCellFull (c may have more rows than x)', async () => {
    const inputs = () => [filled([B, 4 * H], 1), filled([B, 4 * H], 2), filled([B + 2, H], 3)] as const;
    await compare(
      () => {
        const [x, r, c] = inputs();
        return [...lstmCell(x, r, c), ...lstmCellFull(x, r, c)];
      },
      () => {
        const [x, r, cAll] = inputs();
        const c = tf.slice(cAll, [0, 0], [B, H]);
        const [h, cNext] = lstmReference(x, r, c);
        const [i, f, g, o] = tf.split(tf.add(x, r), 4, 1);
        const act = tf.concat([tf.sigmoid(i!), tf.sigmoid(f!), tf.tanh(g!), tf.sigmoid(o!)], 1);
        return [h, cNext, h, cNext, act, tf.tanh(cNext)];
      },
    );
  });

  it('lstmCellGrad equals the gradient of the step (tf.grads) for carried and final rows', async () => {
    const carried = 3;
    const outRow = 2;
    const finalRow = outRow + B;
    const z = () => filled([B, 4 * H], 4);
    const cPrev = () => filled([B, H], 5);
    // dy: 2 unrelated rows, this step's B rows, then B final-h rows and B final-c rows
    const dy = () => filled([finalRow + 2 * B, H], 6, 1);
    const dhNext = () => filled([carried, H], 7, 1);
    const dcNext = () => filled([carried, H], 8, 1);
    await compare(
      () => {
        const zero = tf.zerosLike(z());
        const [, , act, tanhC] = lstmCellFull(z(), zero, cPrev());
        return lstmCellGrad(act, cPrev(), tanhC, dy(), dhNext(), dcNext(), { outRow, finalRow, carried });
      },
      () => {
        const d = dy();
        const rows = (t: tf.Tensor2D, start: number, n: number) => tf.slice(t, [start, 0], [n, H]);
        const late = (next: tf.Tensor2D, block: number) => tf.concat([next, rows(d, block + carried, B - carried)], 0);
        const dhTotal = tf.add(rows(d, outRow, B), late(dhNext(), finalRow));
        const dcTotal = late(dcNext(), finalRow + B);
        const loss = (zz: tf.Tensor, cc: tf.Tensor) => {
          const [h, cNext] = lstmReference(zz as tf.Tensor2D, tf.zerosLike(zz) as tf.Tensor2D, cc as tf.Tensor2D);
          return tf.add(tf.sum(tf.mul(h, dhTotal)), tf.sum(tf.mul(cNext, dcTotal)));
        };
        return tf.grads(loss)([z(), cPrev()]);
      },
      1e-5,
    );
  });

  it('gruCell and rnnCell', async () => {
    const x = () => filled([B, 3 * H], 9);
    const r = () => filled([B, 3 * H], 10);
    const h = () => filled([B, H], 11, 1);
    await compare(
      () => [gruCell(x(), r(), h()), rnnCell(filled([B, H], 12), filled([B, H], 13))],
      () => {
        const [xr, xz, xn] = tf.split(x(), 3, 1);
        const [rr, rz, rn] = tf.split(r(), 3, 1);
        const reset = tf.sigmoid(tf.add(xr!, rr!));
        const update = tf.sigmoid(tf.add(xz!, rz!));
        const n = tf.tanh(tf.add(xn!, tf.mul(reset, rn!)));
        return [tf.add(n, tf.mul(update, tf.sub(h(), n))), tf.tanh(tf.add(filled([B, H], 12), filled([B, H], 13)))];
      },
    );
  });
});
