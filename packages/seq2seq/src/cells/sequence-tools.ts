import * as tf from '@tensorflow/tfjs';

/** Splits a time-major [T·B, W] tensor into T tensors [B, W]. */
export function perStep(all: tf.Tensor2D, steps: number): tf.Tensor2D[] {
  const [n, width] = all.shape;
  return tf.unstack(tf.reshape(all, [steps, n / steps, width]), 0) as tf.Tensor2D[];
}

/** The states before each step: [s₀; s₁ … s_{T−1}] from the initial state and all T states ([T·B, H]). */
export function previousStates(initial: tf.Tensor2D, all: tf.Tensor2D): tf.Tensor2D {
  const [n, width] = all.shape;
  const rows = initial.shape[0];
  if (n === rows) return initial;
  return tf.concat([initial, tf.slice(all, [0, 0], [n - rows, width])], 0) as tf.Tensor2D;
}

/** Column sums of [N, W] as one plain matMul (a bias gradient); wasm's Sum over axis 0 is slow. */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  const [n, width] = x.shape;
  return tf.reshape(tf.matMul(tf.ones([1, n]), x), [width]);
}

/**
 * `x + bias` for [N, W] rows and a [W] bias, whose bias gradient is
 * {@link columnSums} (the stock broadcast-add gradient uses wasm's slow Sum).
 */
export function addRowBias(x: tf.Tensor2D, bias: tf.Tensor): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [rows, b] = args as [tf.Tensor2D, tf.Tensor1D];
    const gradFunc = (dy: tf.Tensor) => [dy, columnSums(dy as tf.Tensor2D)];
    return { value: tf.add(rows, b) as tf.Tensor2D, gradFunc };
  });
  return op(x, bias) as tf.Tensor2D;
}
