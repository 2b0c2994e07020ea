import * as tf from '@tensorflow/tfjs';

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm`
 * (a no-op when it already is, or when `maxNorm` is 0 / undefined). Returns
 * the scaled gradients and the norm before clipping. Call inside `tf.tidy`.
 */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  maxNorm: number | undefined,
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const squares = [...grads.values()].map((g) => tf.sum(tf.square(g)));
  const norm: tf.Scalar = squares.length > 0 ? tf.sqrt(tf.addN(squares) as tf.Scalar) : tf.scalar(0);
  if (!maxNorm) return { grads, norm };
  // scale = maxNorm / max(norm, maxNorm): 1 when under the limit.
  const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) clipped.set(name, tf.mul(g, scale));
  return { grads: clipped, norm };
}
