import * as tf from '@tensorflow/tfjs';
import { embeddingRows } from '../cells/embedding-rows.js';
import type { KernelPass } from '../kernels/kernel-set.js';

/** Targets of a loss, flattened in the same row order as the logits. */
export interface LossTargets {
  ids: Int32Array; // [N]
  mask: Float32Array; // [N], 1 at real positions
  tokens: number; // sum of mask
}

/**
 * Mean masked negative log-likelihood over real positions, via log-softmax.
 * With label smoothing ε the per-token loss is (1 − ε)·NLL + ε·mean(−log p)
 * over the vocabulary. `correct` counts argmax hits at real positions (0 when
 * `countCorrect` is false). The target log-probabilities are rows of the
 * flattened [N·V, 1] log-probabilities, gathered through the pass; a kernel
 * set with `maskedNllSum` computes the loss in one fused pass instead.
 */
export function maskedNll(
  logits: tf.Tensor2D, // [N, V]
  targets: LossTargets,
  pass: KernelPass,
  labelSmoothing = 0,
  countCorrect = true,
): { loss: tf.Scalar; correct: tf.Scalar } {
  const mask = tf.tensor1d(targets.mask);
  const denominator = Math.max(targets.tokens, 1);
  const fused = pass.kernels.maskedNllSum;
  const loss =
    fused !== undefined
      ? (tf.div(fused(logits, tf.tensor1d(targets.ids, 'int32'), mask, labelSmoothing), denominator) as tf.Scalar)
      : opsLoss(logits, targets, pass, labelSmoothing, mask, denominator);
  if (!countCorrect) return { loss, correct: tf.scalar(0) };
  const hits = tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(targets.ids, 'int32')), 'float32');
  const correct = tf.sum(tf.mul(hits, mask)) as tf.Scalar;
  return { loss, correct };
}

/** The loss in tfjs ops (kernel sets without `maskedNllSum`). */
function opsLoss(logits: tf.Tensor2D, targets: LossTargets, pass: KernelPass, labelSmoothing: number, mask: tf.Tensor1D, denominator: number): tf.Scalar {
  const [n, v] = logits.shape;
  const logProbs = tf.logSoftmax(logits); // [N, V]
  const flatIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) flatIndex[i] = i * v + targets.ids[i];
  const picked = tf.reshape(embeddingRows(tf.reshape(logProbs, [n * v, 1]), flatIndex, pass), [n]); // [N]
  let perToken = tf.neg(picked);
  if (labelSmoothing > 0) {
    const uniform = tf.neg(tf.mean(logProbs, 1)); // [N]
    perToken = tf.add(tf.mul(perToken, 1 - labelSmoothing), tf.mul(uniform, labelSmoothing));
  }
  return tf.div(tf.sum(tf.mul(perToken, mask)), denominator) as tf.Scalar;
}
