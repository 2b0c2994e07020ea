import * as tf from '@tensorflow/tfjs';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';
import { canFuseLstmCell, fusedLstmCell } from './fused-cells.js';

/**
 * LSTM step with fused gates in PyTorch order [i, f, g, o]:
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). With no gradient tape
 * recording on wasm, the pointwise part is one fused kernel.
 */
export function lstmStep(
  recurrent: tf.Tensor, // [H, 4H]
  inputGates: tf.Tensor2D, // [B, 4H]
  h: tf.Tensor2D, // [B, H]
  c: tf.Tensor2D, // [B, H]
  product: Product = plainProduct,
): [tf.Tensor2D, tf.Tensor2D] {
  if (canFuseLstmCell()) return tf.tidy(() => fusedLstmCell(inputGates, product(h, recurrent as tf.Tensor2D), c));
  return tf.tidy(() => {
    const gates = tf.add(inputGates, product(h, recurrent as tf.Tensor2D)); // [B, 4H]
    const [i, f, g, o] = tf.split(gates, 4, 1);
    const cNext = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D; // [B, H]
    const hNext = tf.mul(tf.sigmoid(o), tf.tanh(cNext)) as tf.Tensor2D; // [B, H]
    return [hNext, cNext];
  });
}
