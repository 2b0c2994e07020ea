import { MASKED_NLL_GRAD_KERNEL, MASKED_NLL_KERNEL } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import type { SeqKernels } from './kernel-set.js';

/** The kernel names (@seqloom/core's kernel contract), re-exported for this module's users. */
export { MASKED_NLL_GRAD_KERNEL, MASKED_NLL_KERNEL };

/**
 * The optional `maskedNllSum` of a kernel set for a backend that registers
 * `SeqloomMaskedNll` and `SeqloomMaskedNllGrad`: one pass over the logits
 * forward and one backward, whose gradient is seqloom's own (tf.customGrad
 * around the backward kernel), differentiable with respect to the logits.
 */
export function fusedNllKernels(): Pick<SeqKernels, 'maskedNllSum'> {
  return {
    maskedNllSum: (logits, ids, weights, smoothing) => {
      const attrs = { smoothing };
      const forward = (x: tf.Tensor, save: tf.GradSaveFunc) => {
        save([x, ids, weights]); // kept for the backward pass (ids and weights are no inputs of the tape)
        const value = tf.engine().runKernel(MASKED_NLL_KERNEL, { logits: x, ids, weights }, attrs) as tf.Scalar;
        const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) =>
          tf.engine().runKernel(MASKED_NLL_GRAD_KERNEL, { logits: saved[0]!, ids: saved[1]!, weights: saved[2]!, dy }, attrs) as tf.Tensor;
        return { value, gradFunc };
      };
      return tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0])(logits) as tf.Scalar;
    },
  };
}
