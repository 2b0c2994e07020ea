import * as tf from '@tensorflow/tfjs';
import type { Seq2SeqModel } from '../../src/index.js';
import type { Batch } from '../../src/model/index.js';

/**
 * Minimal training loop: Adam on the model's trainable weights, global-norm
 * clipping at 1; the learning rate holds for the first half and then decays
 * linearly to a tenth (set through Adam's learningRate field between steps).
 */
export function trainSteps(model: Seq2SeqModel, nextBatch: (step: number) => Batch, steps: number, learningRate: number): number[] {
  const optimizer = tf.train.adam(learningRate);
  const schedule = optimizer as unknown as { learningRate: number };
  const variables = [...model.trainableWeights().values()];
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const batch = nextBatch(step);
    const progress = Math.max(0, (step - steps / 2) / (steps / 2));
    schedule.learningRate = learningRate * (1 - 0.9 * progress);
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, seed: step }).loss, variables);
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
      const scale = tf.div(1, tf.maximum(norm, 1)); // clip to global norm 1
      optimizer.applyGradients(Object.fromEntries(names.map((n) => [n, tf.mul(grads[n], scale)])));
      if (step % 10 === 0 || step === steps - 1) losses.push(value.dataSync()[0]);
    });
  }
  optimizer.dispose();
  return losses;
}
