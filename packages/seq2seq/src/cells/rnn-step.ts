import * as tf from '@tensorflow/tfjs';

/** Simple (Elman) RNN step: h' = tanh(x·K + b + h·U). */
export function rnnStep(
  recurrent: tf.Tensor, // [H, H]
  inputGates: tf.Tensor2D, // [B, H]
  h: tf.Tensor2D, // [B, H]
): [tf.Tensor2D] {
  return tf.tidy(() => [tf.tanh(tf.add(inputGates, tf.matMul(h, recurrent as tf.Tensor2D))) as tf.Tensor2D]);
}
