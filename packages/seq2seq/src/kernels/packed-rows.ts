import * as tf from '@tensorflow/tfjs';

// Row ranges of the packed layout (step t runs the `active[t]` leading rows of
// the sorted batch), shared by the reference kernels and the packed sequence
// ops in cells/ (see cells/packed-steps.ts).

/** The first n rows of x (x itself when it has n rows). */
export function leadingRows(x: tf.Tensor2D, n: number): tf.Tensor2D {
  return x.shape[0] === n ? x : (tf.slice(x, [0, 0], [n, -1]) as tf.Tensor2D);
}

/** Rows [from, to) of x, or nothing when empty. */
export function rowRange(x: tf.Tensor2D, from: number, to: number): tf.Tensor2D[] {
  return to > from ? [tf.slice(x, [from, 0], [to - from, -1]) as tf.Tensor2D] : [];
}

/**
 * The gradient reaching a step's n rows from later: the first `carried` rows
 * from the next step (`next`), the rest from the final-state gradient rows of
 * `dy` starting at `finalStart` (those rows end at this step).
 */
export function carriedGrad(next: tf.Tensor2D | undefined, dy: tf.Tensor2D, finalStart: number, carried: number, n: number): tf.Tensor2D {
  const pieces = [...(next === undefined ? [] : rowRange(next, 0, carried)), ...rowRange(dy, finalStart + carried, finalStart + n)];
  return pieces.length === 1 ? pieces[0]! : (tf.concat(pieces, 0) as tf.Tensor2D);
}
