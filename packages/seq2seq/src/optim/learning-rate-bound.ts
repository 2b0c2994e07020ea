// No imports but import-free modules: the command line checks --lr with this before loading TensorFlow.js.
import { OPTIMIZER_DEFAULTS } from './optimizer-defaults.js';

/** The largest float32 (weights and optimizer state are float32). */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** The optimizer settings the bound depends on (absent ones: the optimizer's defaults). */
export interface LearningRateSettings {
  type: 'adam' | 'rmsprop' | 'sgd';
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  rho?: number;
  momentum?: number;
}

/**
 * The largest factor an optimizer puts on the learning rate before it meets
 * a gradient: Adam's bias-corrected step √(1−β2)/(1−β1) at its first step
 * (1 later), RMSProp's 1/√(1−ρ) on its first step, and momentum's 1/(1−μ).
 */
export function updateFactor(o: LearningRateSettings): number {
  const momentum = o.momentum ?? 0;
  const accumulated = momentum > 0 && momentum < 1 ? 1 / (1 - momentum) : 1;
  if (o.type === 'adam') {
    const { beta1, beta2 } = OPTIMIZER_DEFAULTS.adam;
    return Math.max(1, Math.sqrt(1 - (o.beta2 ?? beta2)) / (1 - (o.beta1 ?? beta1)));
  }
  if (o.type === 'rmsprop') return accumulated / Math.sqrt(1 - (o.rho ?? OPTIMIZER_DEFAULTS.rmsprop.rho));
  return accumulated;
}

const f32 = (x: number) => x.toPrecision(3);

/**
 * Why the learning rate cannot train float32 weights, or undefined when it
 * can. The rate of every schedule peaks at the learning rate (warmups rise to
 * it, decays fall from it), so the peak update is `learningRate` times the
 * optimizer's {@link updateFactor}, and it must be a finite float32. Adam and
 * RMSProp move every weight by about that much whatever the gradient, so
 * after one step weights are that large, and a layer multiplies weights by
 * weights: the square must be finite too (`1e38` passes the first test and
 * fails the second). SGD's step scales with the gradient, so a finite but
 * huge SGD rate is left to training, which stops when the loss diverges.
 */
export function learningRateProblem(o: LearningRateSettings): string | undefined {
  const lr = o.learningRate;
  if (lr === undefined) return undefined;
  const factor = updateFactor(o);
  const step = lr * factor;
  const example = `give a learning rate such as ${OPTIMIZER_DEFAULTS[o.type].learningRate}`;
  if (!(Math.abs(Math.fround(step)) <= FLOAT32_MAX)) {
    return (
      `the update step it makes (${o.type}: up to ${f32(step)} times the gradient) is not a finite 32-bit number ` +
      `(weights are float32, at most ${f32(FLOAT32_MAX)}); ${example}`
    );
  }
  if (o.type !== 'sgd' && !(step * step <= FLOAT32_MAX)) {
    return (
      `${o.type} moves every weight by up to ${f32(step)} on its first step whatever the gradient, and the products of such weights ` +
      `(a layer multiplies weights by weights) are not finite 32-bit numbers (at most ${f32(FLOAT32_MAX)}); ` +
      `give a learning rate below ${f32(Math.sqrt(FLOAT32_MAX) / factor)}, such as ${OPTIMIZER_DEFAULTS[o.type].learningRate}`
    );
  }
  return undefined;
}
