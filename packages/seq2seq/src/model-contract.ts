import type * as tf from '@tensorflow/tfjs';
import type { CellType } from './cells/cell-types.js';

// Recurrent cell kinds: the names of the cell registry (cells/cell-types.ts, cells/cell-registry.ts).
export type { CellType };

/** Attention kinds (Luong dot/general, Bahdanau additive). */
export type AttentionType = 'none' | 'dot' | 'general' | 'bahdanau';
/** `seq2seq`: source → target. `lm`: decoder only, continues text. */
export type Task = 'seq2seq' | 'lm';

/** Everything needed to rebuild a model's architecture (stored in config.json). */
export interface ModelConfig {
  task: Task;
  cell: CellType;
  /** Layers in the encoder and in the decoder. */
  layers: number;
  hiddenSize: number;
  embeddingSize: number;
  bidirectional: boolean;
  attention: AttentionType;
  /** Feed the previous attentional vector into the next decoder input (Luong). */
  inputFeeding: boolean;
  /** Dropout between stacked layers and before the output projection. */
  dropout: number;
  /** Dropout on embeddings. */
  embeddingDropout: number;
  /** Share the decoder's input embedding with the output projection. */
  tieEmbeddings: boolean;
  /** One embedding for source and target (requires equal vocabularies). */
  shareEmbeddings: boolean;
  sourceVocabSize: number;
  targetVocabSize: number;
  /** Special ids of the target vocabulary. */
  padId: number;
  bosId: number;
  eosId: number;
  /** Source padding id. */
  sourcePadId: number;
}

/**
 * A padded training batch. Targets are already shifted: `targetIn` starts with
 * bos, `targetOut` ends with eos (the stop token); both are padded with padId
 * and `targetMask` is 1 for real positions (eos included) and 0 for padding.
 */
export interface Batch {
  batchSize: number;
  /** Source length after padding (0 for `lm`). */
  sourceLength: number;
  targetLength: number;
  source: Int32Array; // [B, S] row-major
  sourceLengths: Int32Array; // [B]
  targetIn: Int32Array; // [B, T]
  targetOut: Int32Array; // [B, T]
  targetMask: Float32Array; // [B, T]
  /** Number of non-pad target tokens (sum of targetMask). */
  tokens: number;
}

/** Options of the loss (masked NLL): training or evaluation, label smoothing, scheduled sampling and its seed. */
export interface LossOptions {
  training: boolean;
  labelSmoothing?: number;
  /** Probability of feeding the model's own prediction instead of the gold token. */
  scheduledSampling?: number;
  /** Seed for dropout / scheduled sampling in this call (deterministic training). */
  seed?: number;
  /**
   * Count argmax hits into `correct` (default true). A training step that only
   * needs the loss passes false, so no argmax is recorded on the gradient tape;
   * `correct` is then 0.
   */
  countCorrect?: boolean;
  /**
   * Whether gradients will be taken through this call (default true). An
   * evaluation that never differentiates passes false: the forward then runs
   * the backend's fused kernels and saves nothing for a backward pass. A
   * call with false inside `tf.variableGrads` is an error.
   */
  differentiable?: boolean;
  /**
   * Language models: the decoder's state at the start of every row (per layer,
   * LSTM `[h, c]`, GRU/RNN `[h]`, each `[batchSize, hiddenSize]`) instead of
   * zeros — the state a previous window ended in (truncated back-propagation
   * through time). Used as a constant: no gradient flows into it.
   */
  initialState?: readonly (readonly tf.Tensor2D[])[];
  /**
   * Language models: receives the decoder's state after each row's last real
   * position, in the layout of `initialState`. The tensors belong to the
   * surrounding `tf.tidy` / gradient scope: `tf.keep` those to carry on.
   */
  onFinalState?: (state: tf.Tensor2D[][]) => void;
}

/** What the training loop needs from a model. */
export interface TrainableModel {
  readonly config: ModelConfig;
  /** Trainable variables by stable name (used for checkpoints and optimizer state). */
  namedWeights(): Map<string, tf.Variable>;
  /**
   * Names of weights that training must not update (e.g. frozen pretrained
   * embeddings). Optional; recorded in checkpoints (config.json "frozen") and
   * re-applied on load and resume, which adds to it when it is a `Set`.
   */
  readonly frozen?: ReadonlySet<string>;
  /**
   * Mean masked NLL over non-pad target tokens (scalar), plus the number of
   * correct argmax predictions at non-pad positions (scalar). Must be callable
   * inside `tf.variableGrads` / `optimizer.minimize`.
   */
  loss(batch: Batch, options: LossOptions): { loss: tf.Scalar; correct: tf.Scalar };
  dispose(): void;
}
