import * as tf from '@tensorflow/tfjs';
import type { SeqKernels } from '../kernels/kernel-set.js';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';

/**
 * LSTM step with fused gates in PyTorch order [i, f, g, o]:
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'). The recurrent product is
 * `product`; the pointwise part is the kernel set's LSTM cell.
 */
export function lstmStep(
  kernels: SeqKernels,
  recurrent: tf.Tensor, // [H, 4H]
  inputGates: tf.Tensor2D, // [B, 4H]
  h: tf.Tensor2D, // [B, H]
  c: tf.Tensor2D, // [B, H]
  product: Product = plainProduct,
): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => kernels.lstmCell(inputGates, product(h, recurrent as tf.Tensor2D), c));
}
