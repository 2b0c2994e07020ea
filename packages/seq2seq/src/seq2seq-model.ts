import type { StepModel } from '@seqloom/decode';
import type * as tf from '@tensorflow/tfjs';
import { createStepModel, type StepState } from './adapter/step-model-adapter.js';
import { activeKernelSet } from './kernels/kernel-registry.js';
import { validateModelConfig } from './model/config.js';
import type { ModelInternals } from './model/model-internals.js';
import { modelLoss } from './model/model-loss.js';
import { type CreateModelOptions, createParams } from './model/parameters.js';
import { WeightStore } from './model/weight-store.js';
import type { Batch, LossOptions, ModelConfig, TrainableModel } from './model-contract.js';

/** Each model's weights by role and kernel set; reachable only through {@link modelInternals}. */
const internals = new WeakMap<Seq2SeqModel, ModelInternals>();

/**
 * A recurrent encoder-decoder (or decoder-only language model) on
 * TensorFlow.js. Implements the training loop's {@link TrainableModel} and
 * hands itself to `@seqloom/decode` through {@link Seq2SeqModel.asStepModel}.
 * It runs on the kernel set it was created with (see `CreateModelOptions.kernels`).
 */
export class Seq2SeqModel implements TrainableModel {
  private readonly store: WeightStore;

  private constructor(
    readonly config: ModelConfig,
    options: CreateModelOptions,
  ) {
    this.store = new WeightStore(options.seed ?? 0, options.initialValues);
    try {
      const params = createParams(this.store, config, options);
      internals.set(this, { config, params, kernels: options.kernels ?? activeKernelSet() });
    } catch (error) {
      this.store.dispose();
      throw error;
    }
  }

  /**
   * Builds a model with fresh weights (seeded) or pretrained embeddings.
   * `config` is validated first (see {@link validateModelConfig}).
   */
  static create(config: Partial<ModelConfig>, options: CreateModelOptions = {}): Seq2SeqModel {
    return new Seq2SeqModel(validateModelConfig(config), options);
  }

  /** Every weight by stable name, frozen ones included (checkpoints save all of them). */
  namedWeights(): Map<string, tf.Variable> {
    return new Map(this.store.weights);
  }

  /**
   * Names of frozen weights (pretrained embeddings with `trainable: false`).
   * Their variables are created with `trainable = false`, so `tf.variableGrads`
   * and optimizers skip them; a training loop that lists variables explicitly
   * should use {@link trainableWeights}.
   */
  get frozen(): ReadonlySet<string> {
    return this.store.frozen;
  }

  /** The weights the optimizer updates: {@link namedWeights} minus {@link frozen}. */
  trainableWeights(): Map<string, tf.Variable> {
    return new Map([...this.store.weights].filter(([name]) => !this.store.frozen.has(name)));
  }

  /** Number of scalar parameters (frozen included; a shared embedding counted once). */
  parameterCount(): number {
    let total = 0;
    for (const variable of this.store.weights.values()) total += variable.size;
    return total;
  }

  /**
   * Mean masked NLL over the batch's real target tokens, and the count of
   * argmax hits there. Differentiable: call inside `tf.variableGrads`
   * (an evaluation passes `differentiable: false`). Dropout and scheduled
   * sampling apply only with `training: true`, drawn from `seed` (the same
   * seed gives the same masks).
   */
  loss(batch: Batch, options: LossOptions): { loss: tf.Scalar; correct: tf.Scalar } {
    return modelLoss(modelInternals(this), batch, options);
  }

  /**
   * This model as a `@seqloom/decode` {@link StepModel}: `start` encodes a
   * batch once, `step` advances all live rows in one batched call and returns
   * raw logits (and attention rows), `reorder` gathers rows of every state
   * tensor, `dispose` frees the state. For `lm`, `start` consumes the prime.
   */
  asStepModel(): StepModel<StepState> {
    return createStepModel(modelInternals(this));
  }

  /** Frees every weight. The model is unusable afterwards. */
  dispose(): void {
    this.store.dispose();
  }
}

/** A model's weights by role and its kernel set, for seqloom's own code and tests (not exported by the package). */
export function modelInternals(model: Seq2SeqModel): ModelInternals {
  const found = internals.get(model);
  if (found === undefined) throw new Error('modelInternals: expected a model built by Seq2SeqModel.create.');
  return found;
}
