import * as tf from '@tensorflow/tfjs';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';
import { canFuseGruCell, fusedGruCell } from './fused-cells.js';

/**
 * GRU step with fused gates in PyTorch order [r, z, n] (reset applied after
 * the recurrent projection, as in PyTorch and cuDNN):
 * n = tanh(x_n + r·(h·U_n + b_n)), h' = n + z·(h − n). With no gradient
 * tape recording on wasm, the pointwise part is one fused kernel.
 */
export function gruStep(
  recurrent: tf.Tensor, // [H, 3H]
  recurrentBias: tf.Tensor, // [3H]
  inputGates: tf.Tensor2D, // [B, 3H]
  h: tf.Tensor2D, // [B, H]
  product: Product = plainProduct,
): [tf.Tensor2D] {
  return tf.tidy(() => {
    const hidden = tf.add(product(h, recurrent as tf.Tensor2D), recurrentBias) as tf.Tensor2D; // [B, 3H]
    if (canFuseGruCell()) return [fusedGruCell(inputGates, hidden, h)];
    const [xr, xz, xn] = tf.split(inputGates, 3, 1);
    const [hr, hz, hn] = tf.split(hidden, 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    return [tf.add(n, tf.mul(z, tf.sub(h, n))) as tf.Tensor2D]; // [B, H]
  });
}
