import * as tf from '@tensorflow/tfjs';
import type { SeqKernels } from '../kernels/kernel-set.js';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';

/** Simple (Elman) RNN step: h' = tanh(x·K + b + h·U), the pointwise part from the kernel set. */
export function rnnStep(
  kernels: SeqKernels,
  recurrent: tf.Tensor, // [H, H]
  inputGates: tf.Tensor2D, // [B, H]
  h: tf.Tensor2D, // [B, H]
  product: Product = plainProduct,
): [tf.Tensor2D] {
  return tf.tidy(() => [kernels.rnnCell(inputGates, product(h, recurrent as tf.Tensor2D))]);
}
