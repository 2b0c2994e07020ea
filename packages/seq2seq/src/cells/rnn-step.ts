import * as tf from '@tensorflow/tfjs';
import { type Product, plainProduct } from './cached-transpose-mat-mul.js';
import { canFuseRnnCell, fusedRnnCell } from './fused-cells.js';

/** Simple (Elman) RNN step: h' = tanh(x·K + b + h·U); one fused kernel on wasm when no tape records. */
export function rnnStep(
  recurrent: tf.Tensor, // [H, H]
  inputGates: tf.Tensor2D, // [B, H]
  h: tf.Tensor2D, // [B, H]
  product: Product = plainProduct,
): [tf.Tensor2D] {
  if (canFuseRnnCell()) return tf.tidy(() => [fusedRnnCell(inputGates, product(h, recurrent as tf.Tensor2D))]);
  return tf.tidy(() => [tf.tanh(tf.add(inputGates, product(h, recurrent as tf.Tensor2D))) as tf.Tensor2D]);
}
