import * as tf from '@tensorflow/tfjs';
import type { SeqKernels } from '../kernels/kernel-set.js';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';

/**
 * GRU step with fused gates in PyTorch order [r, z, n] (reset applied after
 * the recurrent projection, as in PyTorch and cuDNN):
 * n = tanh(x_n + r·(h·U_n + b_n)), h' = n + z·(h − n). The pointwise part
 * is the kernel set's GRU cell.
 */
export function gruStep(
  kernels: SeqKernels,
  recurrent: tf.Tensor, // [H, 3H]
  recurrentBias: tf.Tensor, // [3H]
  inputGates: tf.Tensor2D, // [B, 3H]
  h: tf.Tensor2D, // [B, H]
  product: Product = plainProduct,
): [tf.Tensor2D] {
  return tf.tidy(() => {
    const hidden = tf.add(product(h, recurrent as tf.Tensor2D), recurrentBias) as tf.Tensor2D; // [B, 3H]
    return [kernels.gruCell(inputGates, hidden, h)]; // [B, H]
  });
}
