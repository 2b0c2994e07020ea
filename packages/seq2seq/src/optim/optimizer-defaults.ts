// No imports: the command line reads these defaults for its help without loading TensorFlow.js.

/**
 * Defaults of each optimizer, as in Keras and PyTorch: Adam 1e-3 with
 * β 0.9/0.999; RMSProp 1e-3, ρ 0.9, no momentum; SGD 0.01 (Keras' default),
 * no momentum, no Nesterov.
 */
export const OPTIMIZER_DEFAULTS = Object.freeze({
  adam: Object.freeze({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }),
  rmsprop: Object.freeze({ learningRate: 1e-3, rho: 0.9, momentum: 0, epsilon: 1e-7 }),
  sgd: Object.freeze({ learningRate: 0.01, momentum: 0, nesterov: false }),
});
