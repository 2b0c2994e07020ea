/**
 * The contract of a fused decoder step: a whole decoder step (embedding rows →
 * recurrent layers → attention → output logits, a pending beam reorder
 * included) in one engine call. A backend's kernel set offers it as
 * `fusedDecoder` (the native engine's `nativeDecodeStep()` implements it);
 * the step adapter then runs decoding on it (see fused-step-model.ts).
 */
import type * as tf from '@tensorflow/tfjs';

/** The shape of the decoder (names as in the model config). */
export interface FusedDecoderSpec {
  cell: 'lstm' | 'gru' | 'rnn' | 'relu';
  layers: number;
  embeddingSize: number;
  hiddenSize: number;
  vocabSize: number;
  attention: 'none' | 'dot' | 'general' | 'bahdanau';
  inputFeeding: boolean;
  /** `untied`: kernel [H, V]; `tied`: the target embedding transposed (E = H); `tied-projected`: [H, E] first. */
  output: 'untied' | 'tied' | 'tied-projected';
}

/** One recurrent layer's weights, gates fused as in the model. */
export interface FusedDecoderLayer {
  kernel: Float32Array; // [I, G·H]
  recurrent: Float32Array; // [H, G·H]
  bias: Float32Array; // [G·H]
  recurrentBias?: Float32Array; // GRU [G·H]
}

/** The decoder's weights, row-major; an engine keeps references, never copies. */
export interface FusedDecoderWeights {
  embedding: Float32Array; // [V, E]
  layers: FusedDecoderLayer[];
  memoryKernel?: Float32Array; // general, bahdanau W₁ [H, H]
  queryKernel?: Float32Array; // bahdanau W₂ [H, H]
  score?: Float32Array; // bahdanau v [H]
  combine?: Float32Array; // [2H, H]
  outputKernel?: Float32Array; // [H, V]
  tieProjection?: Float32Array; // [H, E]
  outputBias: Float32Array; // [V]
}

/** One encoded batch a session starts from. */
export interface FusedSessionInit {
  rows: number;
  sourceLength: number;
  memory: Float32Array | null; // [rows, S, H] encoder outputs (null without attention)
  lengths: Int32Array | null; // [rows] real source positions (null without attention)
  initial: Float32Array; // [slabs, rows, H]: per layer h (and c), then the fed-back vector
  table: boolean; // gather layer 0's input gates from a per-token table
}

/** An engine's model handle (opaque). */
export type FusedModelHandle = object;
/** An engine's session handle (opaque; mutated in place by each step). */
export type FusedSessionHandle = object;

/** A fused decoder step engine. */
export interface FusedDecoderEngine {
  createModel(spec: FusedDecoderSpec, weights: FusedDecoderWeights): FusedModelHandle;
  createSession(model: FusedModelHandle, init: FusedSessionInit): FusedSessionHandle;
  /** Row i continues row parents[i] of the previous step (null: row i); writes logits [n, V] and weights [n, S] (or null). */
  step(session: FusedSessionHandle, ids: Int32Array, parents: Int32Array | null, logits: Float32Array, weights: Float32Array | null): void;
  free(session: FusedSessionHandle): void;
  /** A float32 weight's data in place (no copy), for {@link FusedDecoderEngine.createModel}. */
  tensorValues(tensor: tf.Tensor): Float32Array;
}
