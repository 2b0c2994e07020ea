import * as tf from '@tensorflow/tfjs';
import { activeKernelSet } from '../kernels/kernel-registry.js';
import type { SeqKernels } from '../kernels/kernel-set.js';
import { referenceSumOfSquares } from '../kernels/optimizer-kernels.js';

/**
 * The global L2 norm of the gradients and the factor that brings it down to
 * `maxNorm`: maxNorm / max(norm, maxNorm), 1 when under the limit; no factor
 * when `maxNorm` is 0 / undefined. The sum of squares runs on the kernel
 * set's `sumOfSquares` (one pass per gradient where the set has it). Call
 * inside `tf.tidy`.
 */
export function globalNormScale(
  grads: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number | undefined,
  kernels: SeqKernels = activeKernelSet(),
): { norm: tf.Scalar; scale: tf.Scalar | undefined } {
  const sumOfSquares = kernels.sumOfSquares ?? referenceSumOfSquares;
  const norm = tf.sqrt(sumOfSquares([...grads.values()])) as tf.Scalar;
  return { norm, scale: maxNorm ? (tf.div(maxNorm, tf.maximum(norm, maxNorm)) as tf.Scalar) : undefined };
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm`
 * (a no-op when it already is, or when `maxNorm` is 0 / undefined). Returns
 * the scaled gradients and the norm before clipping. Call inside `tf.tidy`.
 * (The training step hands the factor of {@link globalNormScale} to the
 * optimizer instead, which folds it into its update.)
 */
export function clipByGlobalNorm(
  grads: Map<string, tf.Tensor>,
  maxNorm: number | undefined,
  kernels: SeqKernels = activeKernelSet(),
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const { norm, scale } = globalNormScale(grads, maxNorm, kernels);
  if (scale === undefined) return { grads, norm };
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) clipped.set(name, tf.mul(g, scale));
  return { grads: clipped, norm };
}
