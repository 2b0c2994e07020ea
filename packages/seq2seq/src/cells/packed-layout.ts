import * as tf from '@tensorflow/tfjs';

/**
 * A padded time-major batch ([T·B] rows, index t·B + b) packed so that a
 * recurrent layer skips padded steps: rows sorted by true length (longest
 * first, ties in batch order), so the rows still running at step t are a
 * prefix of `active[t]` sorted rows; the packed rows of step t follow those
 * of step t − 1. A reversed walk (backward direction) reads each row from its
 * true end, so packed step t of sorted row j is time position len − 1 − t.
 */
export interface PackedLayout {
  readonly steps: number; // T
  readonly rows: number; // B
  /** Sorted position → batch row. */
  readonly order: Int32Array; // [B]
  /** Batch row → sorted position. */
  readonly inverse: Int32Array; // [B]
  /** Rows still running at each packed step (non-increasing). */
  readonly active: Int32Array; // [T]
  /** Number of packed rows, the sum of `active`. */
  readonly total: number; // P
  /** Packed row → time-major padded row. */
  readonly fullRow: Int32Array; // [P]
  /** Time-major padded row → packed row, or `total` for a padded position. */
  readonly packedRow: Int32Array; // [T·B]
  /** True when packing changes nothing: every row runs all steps, forward. */
  readonly isIdentity: boolean;
  /** True when the sort keeps the batch order. */
  readonly isSorted: boolean;
}

/** The packed layout of a batch with these true lengths (each 0 … steps). */
export function packedLayout(lengths: Int32Array, steps: number, reverse = false): PackedLayout {
  const rows = lengths.length;
  const order = Int32Array.from({ length: rows }, (_, b) => b).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const inverse = new Int32Array(rows);
  order.forEach((row, j) => (inverse[row] = j));
  const active = new Int32Array(steps);
  for (let t = 0; t < steps; t++) {
    let n = 0;
    while (n < rows && lengths[order[n]!]! > t) n += 1;
    active[t] = n;
  }
  const total = active.reduce((sum, n) => sum + n, 0);
  const fullRow = new Int32Array(total);
  const packedRow = new Int32Array(steps * rows).fill(total);
  for (let t = 0, p = 0; t < steps; t++) {
    for (let j = 0; j < active[t]!; j++, p++) {
      const row = order[j]!;
      const time = reverse ? lengths[row]! - 1 - t : t;
      fullRow[p] = time * rows + row;
      packedRow[time * rows + row] = p;
    }
  }
  const isSorted = order.every((row, j) => row === j);
  const isIdentity = !reverse && total === steps * rows;
  return { steps, rows, order, inverse, active, total, fullRow, packedRow, isIdentity, isSorted };
}

/**
 * `x[index]` by rows, where `index` is injective and `inverse` maps each row
 * of `x` to its position in the result (or to `result rows` when unused): the
 * gradient is the inverse gather, not a segment sum.
 */
function gatherRowsOneToOne(x: tf.Tensor2D, index: Int32Array, inverse: Int32Array): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const input = args[0] as tf.Tensor2D;
    const value = tf.gather(input, tf.tensor1d(index, 'int32')) as tf.Tensor2D;
    const gradFunc = (dy: tf.Tensor) => [gatherOrZero(dy as tf.Tensor2D, inverse)];
    return { value, gradFunc };
  });
  return op(x) as tf.Tensor2D;
}

/** Rows of `x` at `index`, where index `x.rows` stands for a zero row. */
function gatherOrZero(x: tf.Tensor2D, index: Int32Array): tf.Tensor2D {
  const [rows, width] = x.shape;
  const source = index.some((i) => i === rows) ? tf.concat([x, tf.zeros([1, width])], 0) : x;
  return tf.gather(source, tf.tensor1d(index, 'int32')) as tf.Tensor2D;
}

/** Distinct rows `index` of x [N, W]; their gradient goes back to those rows (zeros elsewhere). */
export function selectRows(x: tf.Tensor2D, index: Int32Array): tf.Tensor2D {
  const inverse = new Int32Array(x.shape[0]).fill(index.length);
  index.forEach((row, i) => (inverse[row] = i));
  return gatherRowsOneToOne(x, index, inverse);
}

/** Time-major padded rows [T·B, W] → packed rows [P, W]. */
export function packRows(x: tf.Tensor2D, layout: PackedLayout): tf.Tensor2D {
  if (layout.isIdentity) return x;
  return gatherRowsOneToOne(x, layout.fullRow, layout.packedRow);
}

/** Packed rows [P, W] → time-major padded rows [T·B, W], zeros at padded positions. */
export function unpackRows(x: tf.Tensor2D, layout: PackedLayout): tf.Tensor2D {
  if (layout.isIdentity) return x;
  const op = tf.customGrad((...args: unknown[]) => {
    const value = gatherOrZero(args[0] as tf.Tensor2D, layout.packedRow);
    const gradFunc = (dy: tf.Tensor) => [tf.gather(dy, tf.tensor1d(layout.fullRow, 'int32'))];
    return { value, gradFunc };
  });
  return op(x) as tf.Tensor2D;
}

/** Batch rows [B, W] → sorted order. */
export function sortRows(x: tf.Tensor2D, layout: PackedLayout): tf.Tensor2D {
  return layout.isSorted ? x : gatherRowsOneToOne(x, layout.order, layout.inverse);
}

/** Sorted rows [B, W] → batch order. */
export function unsortRows(x: tf.Tensor2D, layout: PackedLayout): tf.Tensor2D {
  return layout.isSorted ? x : gatherRowsOneToOne(x, layout.inverse, layout.order);
}
