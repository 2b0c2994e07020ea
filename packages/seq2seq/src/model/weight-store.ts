import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from './dropout.js';

let storeCounter = 0;

/**
 * Owns a model's variables under stable names (`decoder/l0/kernel`, …). tfjs
 * variable names are global, so each store prefixes its own unique id; the
 * map keys stay stable for checkpoints. Initial values come from one seed.
 */
export class WeightStore {
  readonly weights = new Map<string, tf.Variable>();
  readonly frozen = new Set<string>();
  private readonly prefix: string;
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.prefix = `seqloom${++storeCounter}`;
    this.random = new SeededRandom(seed);
  }

  /** Uniform in [-limit, limit] (PyTorch's default for RNN and linear weights: limit 1/√fan). */
  uniform(name: string, shape: number[], limit: number): tf.Variable {
    const init = tf.randomUniform(shape, -limit, limit, 'float32', this.random.nextSeed());
    return this.add(name, init, true);
  }

  /** A constant-filled weight (biases). */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value), true);
  }

  /** A weight from given values (pretrained embeddings); `trainable: false` freezes it. */
  fromValues(name: string, values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
    return this.add(name, tf.tensor(values, shape, 'float32'), trainable);
  }

  private add(name: string, init: tf.Tensor, trainable: boolean): tf.Variable {
    if (this.weights.has(name)) throw new Error(`Internal error: weight "${name}" created twice.`);
    const variable = tf.variable(init, trainable, `${this.prefix}/${name}`);
    init.dispose();
    this.weights.set(name, variable);
    if (!trainable) this.frozen.add(name);
    return variable;
  }

  dispose(): void {
    for (const variable of this.weights.values()) variable.dispose();
    this.weights.clear();
  }
}
