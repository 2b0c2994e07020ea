import * as tf from '@tensorflow/tfjs';
import type { LstmCellGradAttrs, LstmCellGradInputs, SeqKernels } from './kernel-set.js';
import { referenceAdamUpdate, referenceSumOfSquares } from './optimizer-kernels.js';
import { carriedGrad, leadingRows } from './packed-rows.js';

/** LSTM step in plain ops; `full` adds the activated gates and tanh c'. */
function lstmCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D, full: boolean): tf.Tensor2D[] {
  return tf.tidy(() => {
    const [gi, gf, gg, go] = tf.split(tf.add(x, r), 4, 1) as tf.Tensor2D[]; // [n, H] each
    const [i, f, g, o] = [tf.sigmoid(gi!), tf.sigmoid(gf!), tf.tanh(gg!), tf.sigmoid(go!)];
    const cNext = tf.add(tf.mul(f, leadingRows(c, x.shape[0])), tf.mul(i, g)) as tf.Tensor2D; // [n, H]
    const tanhC = tf.tanh(cNext) as tf.Tensor2D;
    const h = tf.mul(o, tanhC) as tf.Tensor2D; // [n, H]
    return full ? [h, cNext, tf.concat([i, f, g, o], 1) as tf.Tensor2D, tanhC] : [h, cNext];
  });
}

/** LSTM backward step in plain ops (see {@link SeqKernels.lstmCellGrad}). */
function lstmCellGrad(inputs: LstmCellGradInputs, attrs: LstmCellGradAttrs): [tf.Tensor2D, tf.Tensor2D] {
  const { act, cPrev, tanhC, dy, dhNext, dcNext } = inputs;
  return tf.tidy(() => {
    const [n, width] = act.shape;
    const hidden = width / 4;
    const rows = (dy.shape[0] - attrs.finalRow) / 2; // B: final h rows, then final c rows
    const dh = tf.add(tf.slice(dy, [attrs.outRow, 0], [n, hidden]), carriedGrad(dhNext, dy, attrs.finalRow, attrs.carried, n));
    const [i, f, g, o] = tf.split(act, 4, 1);
    const one = tf.scalar(1);
    const dc = tf.add(carriedGrad(dcNext, dy, attrs.finalRow + rows, attrs.carried, n), tf.mul(dh, tf.mul(o!, tf.sub(one, tf.square(tanhC)))));
    const dG = tf.concat(
      [
        tf.mul(dc, tf.mul(g!, tf.mul(i!, tf.sub(one, i!)))),
        tf.mul(dc, tf.mul(leadingRows(cPrev, n), tf.mul(f!, tf.sub(one, f!)))),
        tf.mul(dc, tf.mul(i!, tf.sub(one, tf.square(g!)))),
        tf.mul(dh, tf.mul(tanhC, tf.mul(o!, tf.sub(one, o!)))),
      ],
      1,
    ) as tf.Tensor2D; // [n, 4H]
    return [dG, tf.mul(dc, f!) as tf.Tensor2D];
  });
}

/** GRU step in plain ops (see {@link SeqKernels.gruCell}). */
function gruCell(x: tf.Tensor2D, r: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const [xr, xz, xn] = tf.split(x, 3, 1);
    const [hr, hz, hn] = tf.split(r, 3, 1);
    const reset = tf.sigmoid(tf.add(xr!, hr!));
    const update = tf.sigmoid(tf.add(xz!, hz!));
    const candidate = tf.tanh(tf.add(xn!, tf.mul(reset, hn!)));
    return tf.add(candidate, tf.mul(update, tf.sub(h, candidate))) as tf.Tensor2D; // [n, H]
  });
}

/**
 * The reference kernel set: plain tfjs ops, on every backend, differentiated
 * by tfjs where the model takes gradients through single steps. The oracle
 * every optimised set is parity-tested against.
 */
export const referenceKernels: SeqKernels = {
  name: 'reference',
  lstmCell: (x, r, c) => lstmCell(x, r, c, false) as [tf.Tensor2D, tf.Tensor2D],
  lstmCellFull: (x, r, c) => lstmCell(x, r, c, true) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D],
  lstmCellGrad,
  gruCell,
  rnnCell: (x, r) => tf.tidy(() => tf.tanh(tf.add(x, r)) as tf.Tensor2D),
  // scatterNd sums repeated ids and runs on every backend (wasm ships no UnsortedSegmentSum)
  segmentSum: (dy, ids, rows) =>
    tf.tidy(() => {
      const n = ids.shape[0];
      const keep = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, rows)); // [N]
      const index = tf.reshape(tf.where(keep, ids, tf.zerosLike(ids)), [n, 1]);
      const values = tf.mul(dy, tf.reshape(tf.cast(keep, dy.dtype), [n, 1]));
      return tf.scatterND(index, values, [rows, dy.shape[1]]) as tf.Tensor2D;
    }),
  adamUpdate: referenceAdamUpdate,
  sumOfSquares: referenceSumOfSquares,
};
