import type * as tf from '@tensorflow/tfjs';
import type { FusedDecoderEngine } from '../adapter/fused-decoder-engine.js';

/** Attributes of one backward step of a packed LSTM layer (see lstmSequence). */
export interface LstmCellGradAttrs {
  /** First row of this step's output gradients in `dy`. */
  outRow: number;
  /** First row of the final-h gradients in `dy` (sorted rows); the final-c gradients follow them. */
  finalRow: number;
  /** Rows [0, carried) take their gradient from the later step (`dhNext`, `dcNext`), the rest from the finals. */
  carried: number;
}

/** Inputs of one LSTM backward step (see {@link SeqKernels.lstmCellGrad}). */
export interface LstmCellGradInputs {
  act: tf.Tensor2D; // [n, 4H] activated gates [σi, σf, tanh g, σo]
  cPrev: tf.Tensor2D; // [≥n, H] previous cell state (its first n rows are read)
  tanhC: tf.Tensor2D; // [n, H]
  dy: tf.Tensor2D; // [P + 2B, H] the whole layer gradient: step outputs, final h, final c
  dhNext: tf.Tensor2D; // [≥carried, H] dG·Uᵀ from the later step (unread when carried = 0)
  dcNext: tf.Tensor2D; // [≥carried, H] (unread when carried = 0)
}

/** Inputs of a whole LSTM layer over a packed sequence (see {@link SeqKernels.lstmSequence}). */
export interface LstmSequenceInputs {
  gates: tf.Tensor2D; // [P, 4H] projected inputs of every packed row
  h0: tf.Tensor2D; // [B, H] initial state, sorted rows
  c0: tf.Tensor2D; // [B, H]
  u: tf.Tensor2D; // [H, 4H] recurrent weights
}

/** What the backward of a whole LSTM layer reads (see {@link SeqKernels.lstmSequenceGrad}). */
export interface LstmSequenceGradInputs {
  dy: tf.Tensor2D; // [P + 2B, H] gradient of the layer's output
  out: tf.Tensor2D; // [P + 2B, H] the layer's output
  cs: tf.Tensor2D; // [P, H] c of every packed row
  act: tf.Tensor2D; // [P, 4H] activated gates
  tanhC: tf.Tensor2D; // [P, H]
  h0: tf.Tensor2D;
  c0: tf.Tensor2D;
  u: tf.Tensor2D;
}

/** Inputs of one Adam update of a weight (see {@link SeqKernels.adamUpdate}); all of one shape but `scale`. */
export interface AdamUpdateInputs {
  w: tf.Tensor; // the weight
  m: tf.Tensor; // first-moment slot
  v: tf.Tensor; // second-moment slot
  g: tf.Tensor; // the gradient, before `scale`
  scale: tf.Scalar; // multiplies g first (the clip-by-global-norm factor; 1 for none)
}

/** Constants of one Adam update: `stepSize` = lr·√(1−β2ᵗ)/(1−β1ᵗ) (bias correction folded in). */
export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  stepSize: number;
}

/**
 * The kernels a backend supplies to the model: the pointwise parts of the
 * recurrent cell steps and the row scatter-add of embedding gradients. The
 * model code is one; each engine implements this set once (see
 * `kernels/README.md`). The reference set (`referenceKernels`, plain tfjs
 * ops) runs on every backend, is differentiable by tfjs, and is the oracle
 * of the parity tests; an optimised set (wasm, native) needs no gradients:
 * the model calls it only where gradients come from seqloom's own backward
 * passes (the packed sequence ops) or where none are taken (decoding,
 * evaluation). Every method returns new tensors and leaves its inputs alone.
 */
export interface SeqKernels {
  /** Short name for logs and tests, e.g. `reference`, `wasm`, `native`. */
  readonly name: string;
  /**
   * LSTM step, gates [i, f, g, o]: from the projected input `x` and recurrent
   * product `r` ([n, 4H]) and the cell state `c` (its first n rows are read),
   * returns `[h', c']` ([n, H]).
   */
  lstmCell(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D];
  /**
   * The same step, also returning what a backward step needs:
   * `[h', c', activated gates [σi, σf, tanh g, σo] ([n, 4H]), tanh c' ([n, H])]`.
   */
  lstmCellFull(x: tf.Tensor2D, r: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  /**
   * One LSTM backward step over the n rows running at it: the gate
   * pre-activation gradient dG ([n, 4H]) and dc_prev = dc ⊙ σf ([n, H]).
   */
  lstmCellGrad(inputs: LstmCellGradInputs, attrs: LstmCellGradAttrs): [tf.Tensor2D, tf.Tensor2D];
  /**
   * GRU step, PyTorch order [r, z, n], reset after the recurrent projection:
   * from `x` and the recurrent product with its bias `r` ([n, 3H]) and `h`
   * ([n, H]), h' = n + z·(h − n), n = tanh(x_n + σ(x_r + r_r)·r_n).
   */
  gruCell(x: tf.Tensor2D, r: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D;
  /** tanh-RNN step: h' = tanh(x + r) ([n, H] each). */
  rnnCell(x: tf.Tensor2D, r: tf.Tensor2D): tf.Tensor2D;
  /**
   * Row scatter-add, the gradient of a row gather (embedding lookups):
   * `out[ids[i]] += dy[i]` into `rows` zero rows ([rows, W]); ids outside
   * [0, rows) are dropped.
   */
  segmentSum(dy: tf.Tensor2D, ids: tf.Tensor1D, rows: number): tf.Tensor2D;
  /**
   * Optional whole LSTM layer over a packed sequence in one kernel (step t
   * runs the `active[t]` leading rows; P = Σ active): returns `[out]`, out =
   * [h of every packed row; final h; final c] ([P + 2B, H]), and with `full`
   * also `[cs [P, H], act [P, 4H], tanhC [P, H]]` for {@link lstmSequenceGrad}.
   * Where a set omits it, the layer runs step by step on `lstmCell`.
   */
  lstmSequence?(inputs: LstmSequenceInputs, active: Int32Array, full: boolean): tf.Tensor2D[];
  /** The backward of {@link lstmSequence}: `[dGates [P, 4H], dh0 [B, H], dc0 [B, H], dU [H, 4H]]`. */
  lstmSequenceGrad?(inputs: LstmSequenceGradInputs, active: Int32Array): [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  /**
   * Optional fused Adam update: with g' = scale·g, returns `[w', m', v']`,
   * m' = β1·m + (1−β1)·g', v' = β2·v + (1−β2)·g'², w' = w − stepSize·m' / (√v' + ε).
   * Where a set omits it, the optimizer runs the same rule in tfjs ops
   * (`referenceKernels.adamUpdate`).
   */
  adamUpdate?(inputs: AdamUpdateInputs, attrs: AdamUpdateAttrs): [tf.Tensor, tf.Tensor, tf.Tensor];
  /**
   * Optional fused log-softmax + masked NLL: Σ_i w_i·((1−ε)·(−log p_i[ids_i])
   * + ε·mean_j(−log p_i[j])) with p_i = softmax(logits_i) (logits [N, V],
   * ids int32 [N], weights [N], ε the label smoothing), differentiable with
   * respect to the logits. Where a set omits it, the loss runs log-softmax and
   * a row gather in tfjs ops (`model/masked-nll.ts`).
   */
  maskedNllSum?(logits: tf.Tensor2D, ids: tf.Tensor1D, weights: tf.Tensor1D, smoothing: number): tf.Scalar;
  /** Optional Σ x² over all the tensors, as a scalar (gradient clipping); the reference sums squares with tfjs ops. */
  sumOfSquares?(tensors: readonly tf.Tensor[]): tf.Scalar;
  /**
   * Optional fused decoder step: a whole decoding step (embedding rows, every
   * recurrent layer, attention, output logits, the pending beam reorder) in
   * one engine call. Where a set offers it, the StepModel adapter decodes on
   * it; elsewhere each step runs tfjs ops (`adapter/step-model-adapter.ts`).
   */
  readonly fusedDecoder?: FusedDecoderEngine;
}

/**
 * How one pass of the model runs: the kernel set it was built with, and
 * whether gradients will be taken through it. Chosen by the caller (the
 * loss is differentiable, decoding and evaluation are not), never read
 * from the gradient tape.
 */
export interface KernelPass {
  readonly kernels: SeqKernels;
  readonly differentiable: boolean;
}
