import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon } from './addon.js';
import { f32, type NativeBackend } from './backend-data.js';
import { NATIVE_BACKEND } from './register-backend.js';

/** The shape of a decoder the fused step runs (see {@link NativeDecodeStep}). */
export interface DecodeStepSpec {
  cell: 'lstm' | 'gru' | 'rnn' | 'relu';
  layers: number;
  embeddingSize: number;
  hiddenSize: number;
  vocabSize: number;
  attention: 'none' | 'dot' | 'general' | 'bahdanau';
  /** The attentional vector is fed back into layer 0's input (its kernel then has E + H rows). */
  inputFeeding: boolean;
  /** `untied`: kernel [H, V]; `tied`: the embedding [V, E] transposed (E = H); `tied-projected`: [H, E] first. */
  output: 'untied' | 'tied' | 'tied-projected';
}

/** One recurrent layer's fused-gate weights (G = 4 LSTM [i, f, g, o], 3 GRU [r, z, n], 1 tanh or ReLU RNN). */
export interface DecodeStepLayer {
  kernel: Float32Array; // [I, G·H]
  recurrent: Float32Array; // [H, G·H]
  bias: Float32Array; // [G·H]
  /** GRU only: the recurrent projection's bias [G·H]. */
  recurrentBias?: Float32Array;
}

/** A decoder's weights, row-major; kept alive by the model handle, never copied. */
export interface DecodeStepWeights {
  embedding: Float32Array; // [V, E]
  layers: DecodeStepLayer[];
  memoryKernel?: Float32Array; // general, bahdanau W₁ [H, H]
  queryKernel?: Float32Array; // bahdanau W₂ [H, H]
  score?: Float32Array; // bahdanau v [H]
  combine?: Float32Array; // [2H, H]
  outputKernel?: Float32Array; // [H, V]
  tieProjection?: Float32Array; // [H, E]
  outputBias: Float32Array; // [V]
}

/** What a session starts from: one encoded batch. */
export interface DecodeStepSessionInit {
  rows: number;
  /** Padded source length S (0 without attention). */
  sourceLength: number;
  /** Encoder outputs [rows, S, H] (null without attention). */
  memory: Float32Array | null;
  /** Real source positions per row (null without attention). */
  lengths: Int32Array | null;
  /** The initial state [slabs, rows, H]: per layer h (and c for LSTM), then the fed-back vector. */
  initial: Float32Array;
  /** Build the model's [V, G·H] layer-0 input table (once per model) and gather its rows each step. */
  table: boolean;
}

/** A model handle (opaque). */
export type DecodeStepModel = { readonly kind: 'decode-step-model' };
/** A session handle (opaque). */
export type DecodeStepSession = { readonly kind: 'decode-step-session' };

/**
 * A whole decoder step in one native call: embedding rows → every recurrent
 * layer → attention → output logits, with a beam reorder (parent rows) applied
 * in the same call. Buffers are reused across steps; the caller's logits and
 * weights arrays are written in place.
 */
export interface NativeDecodeStep {
  /** A handle over a decoder's weights (validated against `spec`). */
  createModel(spec: DecodeStepSpec, weights: DecodeStepWeights): DecodeStepModel;
  /** A session for one encoded batch (state, memory and keys precomputed). */
  createSession(model: DecodeStepModel, init: DecodeStepSessionInit): DecodeStepSession;
  /** One step for `ids.length` rows, row i continuing row `parents[i]` (null: row i); logits [n, V], weights [n, S] (or null). */
  step(session: DecodeStepSession, ids: Int32Array, parents: Int32Array | null, logits: Float32Array, weights: Float32Array | null): void;
  /** Frees a session's buffers now. */
  free(session: DecodeStepSession): void;
  /**
   * A float32 tensor's data on the native backend, in place: the array the
   * backend holds (its `dataSync()` copies pooled buffers), so weights handed
   * to {@link NativeDecodeStep.createModel} are not held twice.
   */
  tensorValues(tensor: tf.Tensor): Float32Array;
}

const CELLS = { lstm: 0, gru: 1, rnn: 2, relu: 3 } as const;
const ATTENTION = { none: 0, dot: 1, general: 2, bahdanau: 3 } as const;
const OUTPUT = { untied: 0, tied: 1, 'tied-projected': 2 } as const;

function dims(spec: DecodeStepSpec): Int32Array {
  const cell = CELLS[spec.cell],
    attention = ATTENTION[spec.attention],
    output = OUTPUT[spec.output];
  if (cell === undefined) throw new RangeError(`decode step: cell "${String(spec.cell)}" is not lstm, gru, rnn or relu`);
  if (attention === undefined) throw new RangeError(`decode step: attention "${String(spec.attention)}" is not none, dot, general or bahdanau`);
  if (output === undefined) throw new RangeError(`decode step: output "${String(spec.output)}" is not untied, tied or tied-projected`);
  return Int32Array.of(cell, spec.layers, spec.embeddingSize, spec.hiddenSize, spec.vocabSize, attention, spec.inputFeeding ? 1 : 0, output);
}

function weightList(w: DecodeStepWeights): (Float32Array | null)[] {
  const list: (Float32Array | null)[] = [w.embedding];
  for (const layer of w.layers) list.push(layer.kernel, layer.recurrent, layer.bias, layer.recurrentBias ?? null);
  const tail = [w.memoryKernel, w.queryKernel, w.score, w.combine, w.outputKernel, w.tieProjection, w.outputBias];
  return [...list, ...tail.map((t) => t ?? null)];
}

/** The native fused decoder step; throws `NativeUnavailableError` when the addon is not built. */
export function nativeDecodeStep(): NativeDecodeStep {
  const addon = loadNativeAddon();
  return {
    createModel: (spec, weights) => {
      if (weights.layers.length !== spec.layers)
        throw new RangeError(`decode step: weights has ${weights.layers.length} layers, spec.layers is ${spec.layers}`);
      return addon.decodeStepModel(dims(spec), weightList(weights)) as DecodeStepModel;
    },
    createSession: (model, init) =>
      addon.decodeStepSession(model, init.rows, init.sourceLength, init.memory, init.lengths, init.initial, init.table) as DecodeStepSession,
    step: (session, ids, parents, logits, weights) => addon.decodeStep(session, ids, parents, logits, weights),
    free: (session) => addon.decodeStepFree(session),
    tensorValues: (tensor) => f32(tf.findBackend(NATIVE_BACKEND) as NativeBackend, tensor, 'decode step', 'a weight'),
  };
}
