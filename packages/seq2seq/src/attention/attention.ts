import * as tf from '@tensorflow/tfjs';
import { type Product, plainProduct } from '../cells/cached-transpose-mat-mul.js';
import type { WeightStore } from '../model/weight-store.js';
import type { AttentionType } from '../model-contract.js';

/**
 * Attention weights. Scores: Luong dot `h_s·q`, Luong general `(h_s·W)·q`,
 * Bahdanau additive `v·tanh(h_s·W₁ + q·W₂)`, where q is the decoder's current
 * top hidden state (Luong's placement). The attentional vector is
 * `tanh([context; q]·W_c)`.
 */
export interface AttentionParams {
  readonly kind: Exclude<AttentionType, 'none'>;
  readonly memoryKernel?: tf.Variable; // general [H, H], bahdanau W₁ [H, H]
  readonly queryKernel?: tf.Variable; // bahdanau W₂ [H, H]
  readonly score?: tf.Variable; // bahdanau v [H, 1]
  readonly combine: tf.Variable; // [2H, H]
}

/** Per-batch attention inputs, computed once per encoded batch. */
export interface AttentionMemory {
  memory: tf.Tensor3D; // [B, S, H] encoder outputs
  /** Projected memory: dot/general `[B, H, S]` (transposed once for plain matMuls), bahdanau `[B, S, H]`. */
  keys: tf.Tensor3D;
  maskBias: tf.Tensor2D; // [B, S] 0 at real positions, -1e9 at padding
}

/** One attention read. */
export interface AttentionRead {
  attentional: tf.Tensor2D; // [B, H]
  weights: tf.Tensor2D; // [B, S]
}

const MASKED = -1e9;

/** Creates the attention weights under `attention/…`. */
export function createAttention(store: WeightStore, kind: AttentionParams['kind'], hidden: number): AttentionParams {
  const limit = 1 / Math.sqrt(hidden);
  const combine = store.uniform('attention/combine', [2 * hidden, hidden], 1 / Math.sqrt(2 * hidden));
  if (kind === 'dot') return { kind, combine };
  const memoryKernel = store.uniform('attention/memory_kernel', [hidden, hidden], limit);
  if (kind === 'general') return { kind, memoryKernel, combine };
  const queryKernel = store.uniform('attention/query_kernel', [hidden, hidden], limit);
  const score = store.uniform('attention/score', [hidden, 1], limit);
  return { kind, memoryKernel, queryKernel, score, combine };
}

/** Additive mask bias [B, S] from true source lengths. */
export function maskBiasFromLengths(lengths: Int32Array, sourceLength: number): tf.Tensor2D {
  const values = new Float32Array(lengths.length * sourceLength);
  for (let b = 0; b < lengths.length; b++) values.fill(MASKED, b * sourceLength + lengths[b], (b + 1) * sourceLength);
  return tf.tensor2d(values, [lengths.length, sourceLength]);
}

/** Projects the memory once per batch (the cached attention keys). */
export function prepareMemory(params: AttentionParams, memory: tf.Tensor3D, maskBias: tf.Tensor2D): AttentionMemory {
  if (params.kind === 'dot') return { memory, keys: tf.transpose(memory, [0, 2, 1]), maskBias };
  const [b, s, h] = memory.shape;
  const flat = tf.reshape(memory, [b * s, h]) as tf.Tensor2D;
  const keys = tf.reshape(tf.matMul(flat, params.memoryKernel as tf.Tensor2D), [b, s, h]) as tf.Tensor3D; // [B, S, H]
  return { memory, keys: params.kind === 'general' ? tf.transpose(keys, [0, 2, 1]) : keys, maskBias };
}

/** Scores for queries [B, Q, H] against the memory: [B, Q, S]. */
function scores(params: AttentionParams, cache: AttentionMemory, queries: tf.Tensor3D): tf.Tensor3D {
  if (params.kind !== 'bahdanau') {
    return tf.matMul(queries, cache.keys) as tf.Tensor3D; // [B, Q, H] × [B, H, S] → [B, Q, S]
  }
  const [b, q, h] = queries.shape;
  const s = cache.keys.shape[1];
  const projected = tf.reshape(tf.matMul(tf.reshape(queries, [b * q, h]), params.queryKernel as tf.Tensor2D), [b, q, 1, h]);
  const hidden = tf.tanh(tf.add(tf.reshape(cache.keys, [b, 1, s, h]), projected)); // [B, Q, S, H]
  const flat = tf.matMul(tf.reshape(hidden, [b * q * s, h]), params.score as tf.Tensor2D); // [B·Q·S, 1]
  return tf.reshape(flat, [b, q, s]) as tf.Tensor3D;
}

/**
 * Attends with Q queries per row at once ([B, Q, H] → attentional [B, Q, H],
 * weights [B, Q, S]). Used for one decoding step (Q = 1) and for all target
 * steps at once when the decoder does not feed attention back.
 */
export function attendAll(
  params: AttentionParams,
  cache: AttentionMemory,
  queries: tf.Tensor3D, // [B, Q, H]
  product: Product = plainProduct,
): { attentional: tf.Tensor3D; weights: tf.Tensor3D } {
  const [b, q, h] = queries.shape;
  const raw = tf.add(scores(params, cache, queries), tf.expandDims(cache.maskBias, 1)); // [B, Q, S]
  const weights = tf.softmax(raw) as tf.Tensor3D; // [B, Q, S]
  const context = tf.matMul(weights, cache.memory); // [B, Q, H]
  const joined = tf.reshape(tf.concat([context, queries], 2), [b * q, 2 * h]); // [B·Q, 2H]
  const attentional = tf.reshape(tf.tanh(product(joined as tf.Tensor2D, params.combine as tf.Tensor2D)), [b, q, h]) as tf.Tensor3D;
  return { attentional, weights };
}

/** One decoding step: query [B, H] → attentional vector [B, H] and weights [B, S]. */
export function attendStep(params: AttentionParams, cache: AttentionMemory, query: tf.Tensor2D, product: Product = plainProduct): AttentionRead {
  const [b, h] = query.shape;
  const { attentional, weights } = attendAll(params, cache, tf.reshape(query, [b, 1, h]) as tf.Tensor3D, product);
  const s = weights.shape[2];
  return { attentional: tf.reshape(attentional, [b, h]) as tf.Tensor2D, weights: tf.reshape(weights, [b, s]) as tf.Tensor2D };
}
