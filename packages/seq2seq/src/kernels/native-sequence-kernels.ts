import { LSTM_SEQUENCE_GRAD_KERNEL, LSTM_SEQUENCE_KERNEL } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import type { LstmSequenceGradInputs, LstmSequenceInputs, SeqKernels } from './kernel-set.js';

/** The kernel names (@seqloom/core's kernel contract), re-exported for this module's users. */
export { LSTM_SEQUENCE_GRAD_KERNEL, LSTM_SEQUENCE_KERNEL };

/**
 * The optional whole-layer methods of a kernel set for a backend that
 * registers `SeqloomLstmSequence` and `SeqloomLstmSequenceGrad`: a packed
 * LSTM layer forward, and its backward, each as one kernel call instead of
 * a few ops per step.
 */
export function nativeSequenceKernels(): Pick<SeqKernels, 'lstmSequence' | 'lstmSequenceGrad'> {
  return {
    lstmSequence: (inputs: LstmSequenceInputs, active: Int32Array, full: boolean) =>
      tf.engine().runKernel(LSTM_SEQUENCE_KERNEL, inputs as unknown as tf.NamedTensorMap, { active: Array.from(active), full }) as unknown as tf.Tensor2D[],
    lstmSequenceGrad: (inputs: LstmSequenceGradInputs, active: Int32Array) => {
      const { out, ...rest } = inputs;
      const named = { ...rest, hs: out } as unknown as tf.NamedTensorMap;
      return tf.engine().runKernel(LSTM_SEQUENCE_GRAD_KERNEL, named, { active: Array.from(active) }) as unknown as [
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
      ];
    },
  };
}
