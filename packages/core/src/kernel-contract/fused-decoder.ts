/**
 * The contract of a fused decoder step: a whole decoder step (embedding rows →
 * every recurrent layer → attention → output logits, a pending beam reorder
 * included) in one engine call. The native engine implements it
 * (`nativeDecodeStep()` in @seqloom/native); seq2seq's kernel set hands it to
 * the StepModel adapter. No tensor library appears here: an engine names its
 * tensor type as {@link FusedDecoderEngine}'s parameter.
 */

/**
 * The cells the fused step runs, in the order of the engine's cell codes
 * (lstm 0, gru 1, rnn 2, relu 3). A model of any other cell decodes on the
 * tensor path.
 */
export const FUSED_DECODER_CELLS = Object.freeze(['lstm', 'gru', 'rnn', 'relu'] as const);

/** A cell the fused step runs: a name in {@link FUSED_DECODER_CELLS}. */
export type FusedDecoderCell = (typeof FUSED_DECODER_CELLS)[number];

/** The attention kinds the fused step runs, in the order of the engine's attention codes (none 0 … bahdanau 3). */
export const FUSED_DECODER_ATTENTIONS = Object.freeze(['none', 'dot', 'general', 'bahdanau'] as const);

/** An attention kind the fused step runs: a name in {@link FUSED_DECODER_ATTENTIONS}. */
export type FusedDecoderAttention = (typeof FUSED_DECODER_ATTENTIONS)[number];

/**
 * The output projections, in the order of the engine's output codes:
 * `untied` a kernel [H, V]; `tied` the target embedding [V, E] transposed
 * (E = H); `tied-projected` a [H, E] projection first, then the embedding.
 */
export const FUSED_DECODER_OUTPUTS = Object.freeze(['untied', 'tied', 'tied-projected'] as const);

/** An output projection: a name in {@link FUSED_DECODER_OUTPUTS}. */
export type FusedDecoderOutput = (typeof FUSED_DECODER_OUTPUTS)[number];

/** Whether the fused step runs `cell` (one of {@link FUSED_DECODER_CELLS}). */
export function isFusedDecoderCell(cell: string): cell is FusedDecoderCell {
  return (FUSED_DECODER_CELLS as readonly string[]).includes(cell);
}

/** The shape of a decoder the fused step runs (names as in seq2seq's model config). */
export interface FusedDecoderSpec {
  /** The recurrent cell of every layer. */
  cell: FusedDecoderCell;
  /** Stacked recurrent layers. */
  layers: number;
  /** E: the target embedding's width. */
  embeddingSize: number;
  /** H: every layer's hidden width. */
  hiddenSize: number;
  /** V: the target vocabulary. */
  vocabSize: number;
  /** The attention over the encoder outputs. */
  attention: FusedDecoderAttention;
  /** The attentional vector is fed back into layer 0's input (its kernel then has E + H rows). */
  inputFeeding: boolean;
  /** How hidden states become logits (see {@link FUSED_DECODER_OUTPUTS}). */
  output: FusedDecoderOutput;
}

/** One recurrent layer's fused-gate weights (G = 4 LSTM [i, f, g, o], 3 GRU [r, z, n], 1 tanh or ReLU RNN), row-major. */
export interface FusedDecoderLayer {
  /** The input kernel [I, G·H]. */
  kernel: Float32Array;
  /** The recurrent kernel [H, G·H]. */
  recurrent: Float32Array;
  /** The input bias [G·H]. */
  bias: Float32Array;
  /** GRU only: the recurrent projection's bias [G·H]. */
  recurrentBias?: Float32Array;
}

/** A decoder's weights, row-major; an engine keeps references to them, never copies. */
export interface FusedDecoderWeights {
  /** The target embedding [V, E]. */
  embedding: Float32Array;
  /** One entry per layer, bottom first. */
  layers: FusedDecoderLayer[];
  /** general, bahdanau: W₁ [H, H] over the encoder outputs. */
  memoryKernel?: Float32Array;
  /** bahdanau: W₂ [H, H] over the query. */
  queryKernel?: Float32Array;
  /** bahdanau: v [H]. */
  score?: Float32Array;
  /** With attention: the combine kernel [2H, H]. */
  combine?: Float32Array;
  /** untied: the output kernel [H, V]. */
  outputKernel?: Float32Array;
  /** tied-projected: [H, E]. */
  tieProjection?: Float32Array;
  /** The output bias [V]. */
  outputBias: Float32Array;
}

/** What a session starts from: one encoded batch. */
export interface FusedSessionInit {
  /** Rows in the batch. */
  rows: number;
  /** Padded source length S (0 without attention). */
  sourceLength: number;
  /** Encoder outputs [rows, S, H] (null without attention). */
  memory: Float32Array | null;
  /** Real source positions per row [rows] (null without attention). */
  lengths: Int32Array | null;
  /** The initial state [slabs, rows, H]: per layer h (and c for LSTM), then the fed-back vector. */
  initial: Float32Array;
  /** Build the model's [V, G·H] layer-0 input table (once per model) and gather its rows each step. */
  table: boolean;
}

/** An engine's model handle over a decoder's weights (opaque). */
export type FusedModelHandle = { readonly kind: 'fused-decoder-model' };

/** An engine's session handle (opaque; its buffers are updated in place by each step). */
export type FusedSessionHandle = { readonly kind: 'fused-decoder-session' };

/**
 * A fused decoder step engine over tensors of type `Tensor`. Buffers are
 * reused across steps; the caller's logits and weights arrays are written in
 * place.
 */
export interface FusedDecoderEngine<Tensor> {
  /** A handle over a decoder's weights (validated against `spec`). */
  createModel(spec: FusedDecoderSpec, weights: FusedDecoderWeights): FusedModelHandle;
  /** A session for one encoded batch (state, memory and attention keys precomputed). */
  createSession(model: FusedModelHandle, init: FusedSessionInit): FusedSessionHandle;
  /** One step for `ids.length` rows, row i continuing row `parents[i]` of the previous step (null: row i); writes logits [n, V] and weights [n, S] (or null). */
  step(session: FusedSessionHandle, ids: Int32Array, parents: Int32Array | null, logits: Float32Array, weights: Float32Array | null): void;
  /** Frees a session's buffers now. */
  free(session: FusedSessionHandle): void;
  /**
   * A float32 tensor's data in place (the array its backend holds, no copy),
   * so weights handed to {@link FusedDecoderEngine.createModel} are not held twice.
   */
  tensorValues(tensor: Tensor): Float32Array;
}
