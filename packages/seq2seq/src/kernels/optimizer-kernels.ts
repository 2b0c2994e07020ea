import { ADAM_UPDATE_KERNEL, SUM_OF_SQUARES_KERNEL } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import type { AdamUpdateAttrs, AdamUpdateInputs, SeqKernels } from './kernel-set.js';

/** The kernel names (@seqloom/core's kernel contract), re-exported for this module's users. */
export { ADAM_UPDATE_KERNEL, SUM_OF_SQUARES_KERNEL };

/** Adam in plain ops, the oracle of {@link SeqKernels.adamUpdate}. */
export function referenceAdamUpdate(inputs: AdamUpdateInputs, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const { w, m, v, scale } = inputs;
  const { beta1, beta2, epsilon, stepSize } = attrs;
  return tf.tidy(() => {
    const g = tf.mul(inputs.g, scale);
    const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    const wNext = tf.sub(w, tf.mul(tf.div(mNext, tf.add(tf.sqrt(vNext), epsilon)), stepSize));
    return [wNext, mNext, vNext];
  });
}

/** Σ x² in plain ops, the oracle of {@link SeqKernels.sumOfSquares}. */
export function referenceSumOfSquares(tensors: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => (tensors.length === 0 ? tf.scalar(0) : (tf.addN(tensors.map((t) => tf.sum(tf.square(t)))) as tf.Scalar)));
}

/**
 * The optional optimizer methods of a kernel set for a backend that
 * registers `SeqloomAdamUpdate` and `SeqloomSumOfSquares` (one pass per
 * weight, no intermediate tensors).
 */
export function fusedOptimizerKernels(): Pick<SeqKernels, 'adamUpdate' | 'sumOfSquares'> {
  return {
    adamUpdate: (inputs, attrs) =>
      tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap) as unknown as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ],
    sumOfSquares: (tensors) => {
      if (tensors.length === 0) return tf.scalar(0);
      const named: tf.NamedTensorMap = {};
      tensors.forEach((t, i) => (named[`x${i}`] = t));
      return tf.engine().runKernel(SUM_OF_SQUARES_KERNEL, named, {}) as tf.Scalar;
    },
  };
}
