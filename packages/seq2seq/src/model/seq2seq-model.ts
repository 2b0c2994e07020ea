import * as tf from '@tensorflow/tfjs';
import { registerUnsortedSegmentSum } from '../kernels/unsorted-segment-sum.js';
import type { StepModel } from '@seqloom/decode';
import { type StepState, createStepModel } from '../adapter/step-model-adapter.js';
import { maskBiasFromLengths, prepareMemory } from '../attention/attention.js';
import type { Batch, LossOptions, ModelConfig, TrainableModel } from '../model-contract.js';
import { checkBatch, realLengths, realRows, sourceOf, toTimeMajor } from './batch-layout.js';
import { initialDecoderState } from './bridge.js';
import { type TeacherInput, decodeTeacherForced } from './decoder.js';
import { foldsTokenGates, tokenGates } from '../cells/token-gates.js';
import { type Encoded, encode } from './encoder.js';
import { Dropper, SeededRandom } from './dropout.js';
import { validateModelConfig } from './config.js';
import { type LossTargets, maskedNll } from './masked-nll.js';
import { selectRows } from '../cells/packed-layout.js';
import { outputKernel, outputLogits } from './output-layer.js';
import { type CreateModelOptions, type ModelParams, createParams } from './parameters.js';
import { decodeWithSampling } from './scheduled-sampling.js';
import { WeightStore } from './weight-store.js';

/**
 * A recurrent encoder-decoder (or decoder-only language model) on
 * TensorFlow.js. Implements the training loop's {@link TrainableModel} and
 * hands itself to `@seqloom/decode` through {@link Seq2SeqModel.asStepModel}.
 */
export class Seq2SeqModel implements TrainableModel {
  /** @internal */
  readonly params: ModelParams;
  private readonly store: WeightStore;

  private constructor(
    readonly config: ModelConfig,
    options: CreateModelOptions,
  ) {
    // Embedding gradients need UnsortedSegmentSum, which the wasm backend lacks;
    // registering with the model covers a backend chosen with a plain tf.setBackend.
    registerUnsortedSegmentSum();
    this.store = new WeightStore(options.seed ?? 0, options.initialValues);
    try {
      this.params = createParams(this.store, config, options);
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
   * argmax hits there. Differentiable: call inside `tf.variableGrads`.
   * Dropout and scheduled sampling apply only with `training: true`, drawn
   * from `seed` (the same seed gives the same masks).
   */
  loss(batch: Batch, options: LossOptions): { loss: tf.Scalar; correct: tf.Scalar } {
    const { config, params } = this;
    const isLm = config.task === 'lm';
    checkBatch(batch, config.sourceVocabSize, config.targetVocabSize, !isLm);
    const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
    const random = new SeededRandom(seed ^ 0x5bd1e995);
    const drop = new Dropper(options.training, seed);
    const rows = batch.batchSize;
    const steps = batch.targetLength;
    const targetIn = toTimeMajor(batch.targetIn, rows, steps);
    const targets = { ids: toTimeMajor(batch.targetOut, rows, steps), mask: toTimeMajor(batch.targetMask, rows, steps), tokens: batch.tokens };
    const sampling = options.training ? (options.scheduledSampling ?? 0) : 0;
    return tf.tidy(() => {
      const encoded = isLm ? null : encode(params, config, sourceOf(batch), drop);
      const memory = this.attentionMemory(encoded, batch.sourceLengths, batch.sourceLength);
      const initial = initialDecoderState(params, config, encoded, rows);
      const kernel = outputKernel(params);
      let logits: tf.Tensor2D;
      let scored: LossTargets = targets;
      if (sampling > 0) {
        const coins = Uint8Array.from({ length: rows * steps }, () => (random.next() < sampling ? 1 : 0));
        logits = decodeWithSampling(params, config, targetIn, coins, steps, rows, initial, memory, kernel, drop);
      } else {
        const cell = params.decoder[0];
        const fold = !config.inputFeeding && foldsTokenGates(cell, config.targetVocabSize, steps * rows, drop.isIdentity(config.embeddingDropout));
        const table = params.targetEmbedding as tf.Tensor2D;
        const first: TeacherInput = fold
          ? { gates: (index) => tokenGates(cell, table, tf.tensor1d(index.map((i) => targetIn[i]!), 'int32')) } // rows of [V, G·H]
          : { embedded: drop.apply(tf.gather(table, tf.tensor1d(targetIn, 'int32')) as tf.Tensor2D, config.embeddingDropout) }; // [T·B, E]
        const lengths = realLengths(targets.mask, rows, steps);
        const outputs = decodeTeacherForced(params, config, first, steps, rows, initial, memory, drop, lengths); // [T·B, H]
        // only positions that carry loss reach the output layer (padding adds nothing to the loss)
        const real = realRows(targets.mask);
        const select = real.length > 0 && real.length < rows * steps;
        const kept = drop.apply(outputs, config.dropout); // [T·B, H]
        logits = outputLogits(params, select ? selectRows(kept, real) : kept, kernel); // [N, V]
        if (select) scored = { ids: real.map((i) => targets.ids[i]!), mask: Float32Array.from(real, (i) => targets.mask[i]!), tokens: targets.tokens };
      }
      return maskedNll(logits, scored, options.labelSmoothing ?? 0, options.countCorrect ?? true);
    });
  }

  /** @internal Attention inputs for an encoded batch (null without attention). */
  attentionMemory(encoded: Encoded | null, lengths: Int32Array, sourceLength: number) {
    if (encoded === null || this.params.attention === undefined) return null;
    return prepareMemory(this.params.attention, encoded.memory, maskBiasFromLengths(lengths, sourceLength));
  }

  /**
   * This model as a `@seqloom/decode` {@link StepModel}: `start` encodes a
   * batch once, `step` advances all live rows in one batched call and returns
   * raw logits (and attention rows), `reorder` gathers rows of every state
   * tensor, `dispose` frees the state. For `lm`, `start` consumes the prime.
   */
  asStepModel(): StepModel<StepState> {
    return createStepModel(this);
  }

  /** Frees every weight. The model is unusable afterwards. */
  dispose(): void {
    this.store.dispose();
  }
}
