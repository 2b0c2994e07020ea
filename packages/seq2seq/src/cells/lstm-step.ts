import * as tf from '@tensorflow/tfjs';

/**
 * LSTM step with fused gates in PyTorch order [i, f, g, o]:
 * c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c').
 */
export function lstmStep(
  recurrent: tf.Tensor, // [H, 4H]
  inputGates: tf.Tensor2D, // [B, 4H]
  h: tf.Tensor2D, // [B, H]
  c: tf.Tensor2D, // [B, H]
): [tf.Tensor2D, tf.Tensor2D] {
  return tf.tidy(() => {
    const gates = tf.add(inputGates, tf.matMul(h, recurrent as tf.Tensor2D)); // [B, 4H]
    const [i, f, g, o] = tf.split(gates, 4, 1);
    const cNext = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g))) as tf.Tensor2D; // [B, H]
    const hNext = tf.mul(tf.sigmoid(o), tf.tanh(cNext)) as tf.Tensor2D; // [B, H]
    return [hNext, cNext];
  });
}
