import * as tf from '@tensorflow/tfjs';
import type { KernelPass } from '../kernels/kernel-set.js';

/**
 * Rows `ids` of `table` ([V, W] → [N, W]): an embedding lookup, or rows of a
 * per-token gate table. In a differentiable pass the table's gradient is the
 * kernel set's row scatter-add (`segmentSum`), so no backend needs tfjs's
 * `UnsortedSegmentSum`; otherwise a plain gather.
 */
export function embeddingRows(table: tf.Tensor2D, ids: Int32Array, pass: KernelPass): tf.Tensor2D {
  if (!pass.differentiable) return tf.gather(table, tf.tensor1d(ids, 'int32')) as tf.Tensor2D;
  const rows = table.shape[0];
  const { kernels } = pass;
  const op = tf.customGrad((...args: unknown[]) => {
    const value = tf.gather(args[0] as tf.Tensor2D, tf.tensor1d(ids, 'int32')) as tf.Tensor2D; // [N, W]
    // the index is rebuilt from the host copy: tensors of the forward pass are gone by then
    const gradFunc = (dy: tf.Tensor) => [kernels.segmentSum(dy as tf.Tensor2D, tf.tensor1d(ids, 'int32'), rows)]; // [V, W]
    return { value, gradFunc };
  });
  return op(table) as tf.Tensor2D;
}
