import * as tf from '@tensorflow/tfjs';
import type { ModelParams } from './parameters.js';

/**
 * The output kernel [H or E, V]: the untied kernel, or the transposed target
 * embedding when tied (transposed once per call so the per-row product is a
 * plain matMul). Compute once and reuse across decoding steps.
 */
export function outputKernel(params: ModelParams): tf.Tensor2D {
  if (params.outputKernel !== undefined) return params.outputKernel as tf.Tensor2D;
  return tf.transpose(params.targetEmbedding) as tf.Tensor2D; // [E, V]
}

/**
 * Logits [N, V] from decoder outputs [N, H]. Outside a differentiable pass
 * (decoding, evaluation), product and bias are one fused matMul kernel.
 */
export function outputLogits(params: ModelParams, outputs: tf.Tensor2D, kernel: tf.Tensor2D, differentiable: boolean): tf.Tensor2D {
  const x = params.tieProjection === undefined ? outputs : tf.matMul(outputs, params.tieProjection as tf.Tensor2D); // [N, E]
  if (!differentiable) return tf.fused.matMul({ a: x, b: kernel, bias: params.outputBias }) as tf.Tensor2D; // [N, V]
  return tf.add(tf.matMul(x, kernel), params.outputBias) as tf.Tensor2D; // [N, V]
}
