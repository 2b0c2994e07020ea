import type { GraphBuilder } from './graph-builder.js';
import type { ModelWeights } from './model-weights.js';

/** The attention inputs of a decoder step. */
export interface AttentionInputs {
  /** [rows, S, H] encoder outputs. */
  memory: string;
  /** [rows, S, H] projected memory (general, Bahdanau); the memory itself for dot. */
  keys: string;
  /** int64 [rows, S] 1 at real source tokens. */
  mask: string;
}

/**
 * seqloom's attention read for the query q [rows, H] (the top layer's new h):
 * scores dot `h_s·q`, general `(h_s·W)·q`, Bahdanau `v·tanh(h_s·W₁ + q·W₂)`;
 * -1e9 at padding; weights = softmax; context = weights·memory; attentional
 * vector = tanh([context; q]·W_c). Returns [attentional [rows, H], weights [rows, S]].
 */
export function attentionStep(b: GraphBuilder, weights: ModelWeights, inputs: AttentionInputs, query: string): [string, string] {
  const { attention: kind, hiddenSize: h } = weights.config;
  let scores: string; // [rows, S]
  if (kind === 'bahdanau') {
    const w2 = b.weight('attention.query_kernel', weights.get('attention/query_kernel', [h, h]), [h, h]);
    const v = b.weight('attention.score', weights.get('attention/score', [h, 1]), [h, 1]);
    const projected = b.op1('Unsqueeze', [b.op1('MatMul', [query, w2]), b.int64s([1])]); // [rows, 1, H]
    const hidden = b.op1('Tanh', [b.op1('Add', [inputs.keys, projected])]); // [rows, S, H]
    scores = b.op1('Squeeze', [b.op1('MatMul', [hidden, v]), b.int64s([2])]); // [rows, S]
  } else {
    const column = b.op1('Unsqueeze', [query, b.int64s([2])]); // [rows, H, 1]
    scores = b.op1('Squeeze', [b.op1('MatMul', [inputs.keys, column]), b.int64s([2])]); // [rows, S, 1] → [rows, S]
  }
  // mask bias: (mask − 1)·1e9 = 0 at real tokens, −1e9 at padding (seqloom's exact values)
  const bias = b.op1('Mul', [b.op1('Sub', [b.op1('Cast', [inputs.mask], { to: 1 }), b.scalar(1)]), b.scalar(1e9)]);
  const attention = b.op1('Softmax', [b.op1('Add', [scores, bias])], { axis: -1 }); // [rows, S]
  const context = b.op1('Squeeze', [b.op1('MatMul', [b.op1('Unsqueeze', [attention, b.int64s([1])]), inputs.memory]), b.int64s([1])]); // [rows, H]
  const combine = b.weight('attention.combine', weights.get('attention/combine', [2 * h, h]), [2 * h, h]);
  const attentional = b.op1('Tanh', [b.op1('MatMul', [b.op1('Concat', [context, query], { axis: 1 }), combine])]); // [rows, H]
  return [attentional, attention];
}
