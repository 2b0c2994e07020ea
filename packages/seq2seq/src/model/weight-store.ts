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

  /** `initialValues` replace the initialiser of the weights they name (e.g. a copy of another model's weights). */
  constructor(
    seed: number,
    private readonly initialValues?: ReadonlyMap<string, Float32Array>,
  ) {
    this.prefix = `seqloom${++storeCounter}`;
    this.random = new SeededRandom(seed);
  }

  /** Uniform in [-limit, limit] (PyTorch's default for RNN and linear weights: limit 1/√fan). */
  uniform(name: string, shape: number[], limit: number): tf.Variable {
    const seed = this.random.nextSeed(); // drawn either way, so other weights keep their values
    return this.add(name, shape, () => tf.randomUniform(shape, -limit, limit, 'float32', seed), true);
  }

  /** A constant-filled weight (biases). */
  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, shape, () => tf.fill(shape, value), true);
  }

  /** A weight from given values (pretrained embeddings); `trainable: false` freezes it. */
  fromValues(name: string, values: Float32Array, shape: number[], trainable: boolean): tf.Variable {
    return this.add(name, shape, () => tf.tensor(values, shape, 'float32'), trainable);
  }

  private add(name: string, shape: number[], initialise: () => tf.Tensor, trainable: boolean): tf.Variable {
    if (this.weights.has(name)) throw new Error(`Internal error: weight "${name}" created twice.`);
    const given = this.initialValues?.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (given !== undefined && given.length !== size) {
      throw new Error(`initial values of weight "${name}": expected ${size} values for shape [${shape.join(', ')}], got ${given.length}`);
    }
    const init = given === undefined ? initialise() : tf.tensor(given, shape, 'float32');
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
