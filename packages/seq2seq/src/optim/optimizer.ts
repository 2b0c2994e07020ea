import * as tf from '@tensorflow/tfjs';
import { TrainingError } from '../training-error.js';
import { OPTIMIZER_DEFAULTS } from './optimizer-defaults.js';

export { OPTIMIZER_DEFAULTS } from './optimizer-defaults.js';

/** Adam (Kingma & Ba) with bias correction. */
export interface AdamOptions {
  type: 'adam';
  /** Default 1e-3. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
}

/** RMSProp (Keras form: eps outside the square root) with optional momentum. */
export interface RmsPropOptions {
  type: 'rmsprop';
  /** Default 1e-3. */
  learningRate?: number;
  /** Decay of the squared-gradient average. Default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/** Stochastic gradient descent with (optionally Nesterov) momentum, PyTorch form. */
export interface SgdOptions {
  type: 'sgd';
  /** Default 0.01. */
  learningRate?: number;
  /** Default 0. */
  momentum?: number;
  /** Default false. */
  nesterov?: boolean;
}

/** The optimizer of a training run and its settings (Adam, RMSProp or SGD). */
export type OptimizerOptions = AdamOptions | RmsPropOptions | SgdOptions;

/** Everything needed to restore an optimizer exactly. */
export interface OptimizerState {
  type: OptimizerOptions['type'];
  iterations: number;
  /** Slot tensors named `<weight>/<slot>` (e.g. `decoder/kernel/m`). */
  slots: Map<string, tf.Tensor>;
}

/**
 * An optimizer over named variables whose state (slots and iteration count)
 * can be saved and restored exactly. Slots are allocated when it is created,
 * so a step allocates no lasting tensors.
 */
export interface Optimizer {
  readonly options: Required<OptimizerOptions>;
  /**
   * Applies one update by the gradients times `scale` (e.g. the factor of
   * `globalNormScale`; none: the gradients as given); call inside `tf.tidy`.
   * `grads` may omit frozen weights.
   */
  apply(grads: Map<string, tf.Tensor>, learningRate: number, scale?: tf.Scalar): void;
  /** Copies of the slots (the caller disposes them) and the iteration count. */
  getState(): OptimizerState;
  /** Restores slots saved by {@link Optimizer.getState} (shapes must match). */
  setState(state: OptimizerState): void;
  dispose(): void;
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new TrainingError(`optimizer.${name} must be a positive number, got ${value}`);
  }
  return value;
}

function unit(value: number, name: string): number {
  if (!(value >= 0 && value < 1)) {
    throw new TrainingError(`optimizer.${name} must be in [0, 1), got ${value}`);
  }
  return value;
}

/** Fills in defaults and validates optimizer options. */
export function resolveOptimizerOptions(options: OptimizerOptions): Required<OptimizerOptions> {
  switch (options.type) {
    case 'adam':
      return {
        type: 'adam',
        learningRate: positive(options.learningRate ?? OPTIMIZER_DEFAULTS.adam.learningRate, 'learningRate'),
        beta1: unit(options.beta1 ?? OPTIMIZER_DEFAULTS.adam.beta1, 'beta1'),
        beta2: unit(options.beta2 ?? OPTIMIZER_DEFAULTS.adam.beta2, 'beta2'),
        epsilon: positive(options.epsilon ?? OPTIMIZER_DEFAULTS.adam.epsilon, 'epsilon'),
      };
    case 'rmsprop':
      return {
        type: 'rmsprop',
        learningRate: positive(options.learningRate ?? OPTIMIZER_DEFAULTS.rmsprop.learningRate, 'learningRate'),
        rho: unit(options.rho ?? OPTIMIZER_DEFAULTS.rmsprop.rho, 'rho'),
        momentum: unit(options.momentum ?? OPTIMIZER_DEFAULTS.rmsprop.momentum, 'momentum'),
        epsilon: positive(options.epsilon ?? OPTIMIZER_DEFAULTS.rmsprop.epsilon, 'epsilon'),
      };
    case 'sgd':
      return {
        type: 'sgd',
        learningRate: positive(options.learningRate ?? OPTIMIZER_DEFAULTS.sgd.learningRate, 'learningRate'),
        momentum: unit(options.momentum ?? OPTIMIZER_DEFAULTS.sgd.momentum, 'momentum'),
        nesterov: options.nesterov ?? OPTIMIZER_DEFAULTS.sgd.nesterov,
      };
    default:
      throw new TrainingError(`unknown optimizer type "${String((options as { type?: unknown }).type)}"; use "adam", "rmsprop" or "sgd"`);
  }
}
