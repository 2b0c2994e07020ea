import type * as tf from '@tensorflow/tfjs';
import { type AttentionParams, createAttention } from '../attention/attention.js';
import { type CellParams, createCell, DEFAULT_FORGET_BIAS } from '../cells/cell.js';
import type { SeqKernels } from '../kernels/kernel-set.js';
import type { ModelConfig } from '../model-contract.js';
import { ModelConfigError } from './config.js';
import type { WeightStore } from './weight-store.js';

/** Pretrained vectors for an embedding, row-major `[vocab × embeddingSize]`. */
export interface PretrainedEmbedding {
  matrix: Float32Array;
  /** false: the embedding is frozen (kept out of the trainable set). */
  trainable: boolean;
}

/** Options of {@link Seq2SeqModel.create}. */
export interface CreateModelOptions {
  /** Seed of the initial weights (default 0). */
  seed?: number;
  sourceEmbedding?: PretrainedEmbedding;
  targetEmbedding?: PretrainedEmbedding;
  /**
   * Embeddings not given as pretrained vectors start uniform in ±this (default
   * {@link DEFAULT_EMBEDDING_INIT}). √3 ≈ 1.73 gives them variance 1, as
   * PyTorch's `nn.Embedding` (N(0, 1)) starts: character language models learn
   * much faster from it (see recipes/charlm-moby-dick.yaml).
   */
  embeddingInit?: number;
  /**
   * Where every LSTM layer's forget-gate bias starts (default
   * {@link DEFAULT_FORGET_BIAS}, 1, as Keras' `unit_forget_bias`; the other
   * biases start at 0). 0 is what PyTorch's `nn.LSTM` starts from on average
   * (its biases are uniform ±1/√H): a character language model learns faster
   * from it (see recipes/charlm-moby-dick.yaml). Ignored by GRU and RNN cells.
   */
  forgetBias?: number;
  /** Start these weights (by stable name, see namedWeights) from the given values instead of initialising them. */
  initialValues?: ReadonlyMap<string, Float32Array>;
  /**
   * The kernel set the model runs on (default: the set of the active
   * backend, chosen by `setBackend`; the reference set after a plain
   * `tf.setBackend`). Captured once, at construction.
   */
  kernels?: SeqKernels;
}

/** All weights of a model, by role. */
export interface ModelParams {
  readonly sourceEmbedding?: tf.Variable; // [Vs, E]; absent for lm; same variable as target when shared
  readonly targetEmbedding: tf.Variable; // [Vt, E]
  readonly encoderForward: CellParams[]; // one per layer
  readonly encoderBackward: CellParams[]; // empty unless bidirectional
  readonly decoder: CellParams[];
  readonly attention?: AttentionParams;
  /** Untied output kernel [H, Vt]; absent when tied to the target embedding. */
  readonly outputKernel?: tf.Variable;
  /** Tied and H ≠ E: projection [H, E] before the tied embedding. */
  readonly tieProjection?: tf.Variable;
  readonly outputBias: tf.Variable; // [Vt]
}

/** Half-width of the uniform range embeddings start in, unless `embeddingInit` says otherwise. */
export const DEFAULT_EMBEDDING_INIT = 0.1;

function embedding(
  store: WeightStore,
  name: string,
  option: string,
  vocab: number,
  size: number,
  pretrained: PretrainedEmbedding | undefined,
  init: number,
): tf.Variable {
  if (pretrained === undefined) return store.uniform(name, [vocab, size], init);
  if (!(pretrained.matrix instanceof Float32Array) || pretrained.matrix.length !== vocab * size) {
    throw new ModelConfigError(
      `Invalid option "${option}": expected a Float32Array of vocab × embeddingSize = ${vocab} × ${size} = ${vocab * size} values, got ${pretrained.matrix?.length ?? 'none'}. Align the vectors to the vocabulary and set embeddingSize to their dimension.`,
    );
  }
  return store.fromValues(name, pretrained.matrix, [vocab, size], pretrained.trainable);
}

function encoderLayers(store: WeightStore, config: ModelConfig, direction: string, forgetBias: number): CellParams[] {
  const { cell, layers, hiddenSize: h, embeddingSize: e } = config;
  return Array.from({ length: layers }, (_, l) => createCell(store, `encoder/${direction}/l${l}`, cell, l === 0 ? e : h, h, forgetBias));
}

/** Creates every weight of a model described by `config`. */
export function createParams(store: WeightStore, config: ModelConfig, options: CreateModelOptions): ModelParams {
  const { cell, layers, hiddenSize: h, embeddingSize: e, targetVocabSize: vt } = config;
  const isLm = config.task === 'lm';
  const shared = config.shareEmbeddings && !isLm;
  const init = options.embeddingInit ?? DEFAULT_EMBEDDING_INIT;
  if (!(init > 0 && Number.isFinite(init)))
    throw new ModelConfigError(`Invalid option "embeddingInit": expected a positive number (the half-width of the uniform range), got ${String(init)}.`);
  const forgetBias = options.forgetBias ?? DEFAULT_FORGET_BIAS;
  if (typeof forgetBias !== 'number' || !Number.isFinite(forgetBias))
    throw new ModelConfigError(`Invalid option "forgetBias": expected a finite number (where the LSTM forget-gate bias starts), got ${String(forgetBias)}.`);
  const targetEmbedding = embedding(
    store,
    shared ? 'embedding' : 'decoder/embedding',
    shared ? 'sourceEmbedding/targetEmbedding' : 'targetEmbedding',
    vt,
    e,
    options.targetEmbedding ?? (shared ? options.sourceEmbedding : undefined),
    init,
  );
  const sourceEmbedding = isLm
    ? undefined
    : shared
      ? targetEmbedding
      : embedding(store, 'encoder/embedding', 'sourceEmbedding', config.sourceVocabSize, e, options.sourceEmbedding, init);
  const encoderForward = isLm ? [] : encoderLayers(store, config, 'fwd', forgetBias);
  const encoderBackward = !isLm && config.bidirectional ? encoderLayers(store, config, 'bwd', forgetBias) : [];
  const feed = config.inputFeeding ? h : 0;
  const decoder = Array.from({ length: layers }, (_, l) => createCell(store, `decoder/l${l}`, cell, l === 0 ? e + feed : h, h, forgetBias));
  const attention = config.attention === 'none' ? undefined : createAttention(store, config.attention, h);
  const limit = 1 / Math.sqrt(h);
  const outputKernel = config.tieEmbeddings ? undefined : store.uniform('output/kernel', [h, vt], limit);
  const tieProjection = config.tieEmbeddings && h !== e ? store.uniform('output/tie_projection', [h, e], limit) : undefined;
  const outputBias = store.constant('output/bias', [vt], 0);
  return { sourceEmbedding, targetEmbedding, encoderForward, encoderBackward, decoder, attention, outputKernel, tieProjection, outputBias };
}
