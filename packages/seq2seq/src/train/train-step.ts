import * as tf from '@tensorflow/tfjs';
import type { Batch, LossOptions, TrainableModel } from '../model-contract.js';
import { clipByGlobalNorm } from '../optim/clip-by-global-norm.js';
import type { Optimizer } from '../optim/optimizer.js';

/** What one optimizer step produced. */
export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/**
 * One optimizer step: forward + masked NLL under `tf.variableGrads`, clip by
 * global norm, update. Frozen weights are left out of the gradient, so they
 * never change. Leaves no new tensors behind.
 */
export async function trainStep(
  model: TrainableModel,
  trainable: ReadonlyMap<string, tf.Variable>,
  optimizer: Optimizer,
  batch: Batch,
  step: { learningRate: number; clipNorm: number | undefined; loss: LossOptions },
): Promise<StepResult> {
  const varList = [...trainable.values()];
  const nameOf = new Map([...trainable].map(([name, variable]) => [variable.name, name]));
  const result = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(batch, { ...step.loss, countCorrect: false }).loss, varList);
    const named = new Map<string, tf.Tensor>();
    for (const [variableName, grad] of Object.entries(grads)) {
      named.set(nameOf.get(variableName)!, grad);
    }
    const clipped = clipByGlobalNorm(named, step.clipNorm);
    optimizer.apply(clipped.grads, step.learningRate);
    return tf.stack([value, clipped.norm]);
  });
  const [loss, gradNorm] = await result.data();
  result.dispose();
  return { loss, gradNorm };
}
