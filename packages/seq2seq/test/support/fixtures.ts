import * as tf from '@tensorflow/tfjs';
import type { Seq2SeqModel } from '../../src/index.js';
import { SeededRandom } from '../../src/model/dropout.js';
import type { Batch, LossOptions } from '../../src/model/index.js';
import { makeBatch } from './reverse-task.js';

/** A tiny ragged batch (vocab ≥ 8): source lengths 4, 2, 3; targets of lengths 3, 1, 2 (+eos). */
export function tinyBatch(): Batch {
  return makeBatch(
    [
      [3, 4, 5, 6],
      [7, 3],
      [5, 5, 4],
    ],
    [[4, 5, 6], [7], [3, 6]],
  );
}

const EVAL: LossOptions = { training: false };

/** Reads a scalar loss (default: evaluation mode, no dropout). */
export function lossValue(model: Seq2SeqModel, batch: Batch, options: LossOptions = EVAL): number {
  return tf.tidy(() => model.loss(batch, options).loss.dataSync()[0]);
}

/** Analytic gradients of the loss by weight name. */
export function analyticGrads(model: Seq2SeqModel, batch: Batch, options: LossOptions = EVAL): Map<string, Float32Array> {
  const names = [...model.trainableWeights().keys()];
  const variables = [...model.trainableWeights().values()];
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(() => model.loss(batch, options).loss, variables);
    const byVariable = new Map(variables.map((v, i) => [v.name, names[i]]));
    const out = new Map<string, Float32Array>();
    for (const [varName, grad] of Object.entries(grads)) out.set(byVariable.get(varName) as string, grad.dataSync() as Float32Array);
    return out;
  });
}

/**
 * Central finite differences on `samples` random entries of every weight,
 * compared with the analytic gradient. Returns the worst mismatch found as
 * |numeric − analytic| / (absTol + relTol·|analytic|) (≤ 1 passes).
 */
export function gradientCheck(model: Seq2SeqModel, batch: Batch, samples: number, options: LossOptions = EVAL, seed = 1): { worst: number; where: string } {
  const analytic = analyticGrads(model, batch, options);
  const random = new SeededRandom(seed);
  const eps = 1e-2;
  let worst = 0;
  let where = '';
  for (const [name, variable] of model.trainableWeights()) {
    const grad = analytic.get(name);
    if (grad === undefined) throw new Error(`no gradient for ${name}`);
    const values = variable.dataSync().slice() as Float32Array;
    for (let s = 0; s < samples; s++) {
      const i = Math.floor(random.next() * values.length);
      const probe = (delta: number): number => {
        const shifted = values.slice();
        shifted[i] += delta;
        variable.assign(tf.tensor(shifted, variable.shape));
        return lossValue(model, batch, options);
      };
      const numeric = (probe(eps) - probe(-eps)) / (2 * eps);
      const ratio = Math.abs(numeric - grad[i]) / (1e-4 + 1e-2 * Math.abs(grad[i]));
      if (ratio > worst) {
        worst = ratio;
        where = `${name}[${i}] numeric ${numeric} analytic ${grad[i]}`;
      }
    }
    variable.assign(tf.tensor(values, variable.shape));
  }
  return { worst, where };
}
