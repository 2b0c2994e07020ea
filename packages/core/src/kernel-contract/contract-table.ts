// The contract table: the tfjs kernels seqloom registers on its engines (wasm,
// native) and calls by name from its kernel sets, with their inputs and
// attributes; what the native engine's compiled addon (seqloom_native.node)
// exports, as the TypeScript interface of its functions and, for its C side,
// the C function behind each (native/contract.h declares and registers them
// from ADDON_FUNCTIONS). A new native kernel is a row here, its C function, its
// TypeScript kernel file and its registration row.
import type { BinaryMode, BinaryOp, UnaryOp } from './elementwise-codes.js';

/** One seqloom kernel: its tfjs name and the names of its inputs and attributes, in call order. */
export interface SeqloomKernelSpec {
  /** The tfjs kernel name (`tf.engine().runKernel(name, …)`). */
  readonly name: string;
  /** Input tensor names (for `SeqloomSumOfSquares`, `x0`, `x1`, … one per tensor: none listed). */
  readonly inputs: readonly string[];
  /** Attribute names. */
  readonly attrs: readonly string[];
}

/**
 * Every seqloom kernel by role. Cells: LSTM gates [i, f, g, o], GRU [r, z, n].
 * The wasm engine registers the four cell kernels; the native engine all ten.
 */
export const SEQLOOM_KERNELS = {
  lstmCell: { name: 'SeqloomLstmCell', inputs: ['x', 'r', 'c'], attrs: ['full'] },
  lstmCellGrad: { name: 'SeqloomLstmCellGrad', inputs: ['act', 'cPrev', 'tanhC', 'dy', 'dhNext', 'dcNext'], attrs: ['outRow', 'finalRow', 'carried'] },
  gruCell: { name: 'SeqloomGruCell', inputs: ['x', 'r', 'h'], attrs: [] },
  rnnCell: { name: 'SeqloomRnnCell', inputs: ['x', 'r'], attrs: [] },
  lstmSequence: { name: 'SeqloomLstmSequence', inputs: ['gates', 'h0', 'c0', 'u'], attrs: ['active', 'full'] },
  lstmSequenceGrad: { name: 'SeqloomLstmSequenceGrad', inputs: ['dy', 'act', 'tanhC', 'cs', 'hs', 'h0', 'c0', 'u'], attrs: ['active'] },
  adamUpdate: { name: 'SeqloomAdamUpdate', inputs: ['w', 'm', 'v', 'g', 'scale'], attrs: ['beta1', 'beta2', 'epsilon', 'stepSize'] },
  sumOfSquares: { name: 'SeqloomSumOfSquares', inputs: [], attrs: [] },
  maskedNll: { name: 'SeqloomMaskedNll', inputs: ['logits', 'ids', 'weights'], attrs: ['smoothing'] },
  maskedNllGrad: { name: 'SeqloomMaskedNllGrad', inputs: ['logits', 'ids', 'weights', 'dy'], attrs: ['smoothing'] },
} as const satisfies Record<string, SeqloomKernelSpec>;

/** The GEMM library the addon was built on (chosen at build time), as reported by the library itself. */
export interface BlasInfo {
  /** `oneDNN`, `OpenBLAS` or `Accelerate`. */
  library: string;
  /** e.g. `2.6.3`, `0.3.21` (empty for Accelerate). */
  version: string;
  /**
   * The kernel the library runs: OpenBLAS's `openblas_get_corename()` (e.g. `Haswell`, `SkylakeX`),
   * oneDNN's effective ISA (`AVX-512`, `AVX2` …).
   */
  core: string;
  /** GEMM threads of the calling thread (OpenBLAS's threads, oneDNN's OpenMP threads). */
  threads: number;
  /** `openblas_get_config()`; for oneDNN its version, commit, CPU runtime and ISA. */
  config: string;
}

/**
 * The compiled addon's functions. Every function checks its arguments and
 * throws a TypeError/RangeError naming the bad one (sizes whose products
 * overflow, or exceed the GEMM's int dimensions, included); buffers are
 * row-major Float32Arrays used in place (no copies).
 */
export interface NativeAddon {
  /** C_i = alpha·op(A_i)·op(B_i) + beta·C_i for i < batch; op(A) [m, k], op(B) [k, n], C [m, n]; stride 0 broadcasts. */
  sgemm(
    transA: boolean,
    transB: boolean,
    batch: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float32Array,
    strideA: number,
    b: Float32Array,
    strideB: number,
    beta: number,
    c: Float32Array,
  ): void;
  /**
   * GEMM threads of the calling thread (each worker thread keeps its own) for its following
   * products; those of fewer than `serialBelow` multiply-adds run on one thread.
   */
  setThreads(threads: number, serialBelow: number): void;
  /** The GEMM library and the calling thread's thread count. */
  info(): BlasInfo;
  /** One LSTM step's pointwise part over `rows` rows: writes h, cNext ([rows, H]) and, when given, act [rows, 4H], tanhC [rows, H]. */
  lstmCell(
    rows: number,
    hidden: number,
    x: Float32Array,
    r: Float32Array,
    c: Float32Array,
    h: Float32Array,
    cNext: Float32Array,
    act: Float32Array | null,
    tanhC: Float32Array | null,
  ): void;
  /** One LSTM backward step over `rows` rows: writes dG [rows, 4H] and dcPrev [rows, H]. */
  lstmCellGrad(
    rows: number,
    hidden: number,
    outRow: number,
    finalRow: number,
    carried: number,
    act: Float32Array,
    cPrev: Float32Array,
    tanhC: Float32Array,
    dy: Float32Array,
    dhNext: Float32Array,
    dcNext: Float32Array,
    dG: Float32Array,
    dcPrev: Float32Array,
  ): void;
  /** One GRU step's pointwise part: x, r [rows, 3H], h [rows, H] → out [rows, H]. */
  gruCell(rows: number, hidden: number, x: Float32Array, r: Float32Array, h: Float32Array, out: Float32Array): void;
  /** out = tanh(x + r) over `count` elements. */
  rnnCell(count: number, x: Float32Array, r: Float32Array, out: Float32Array): void;
  /**
   * A whole LSTM layer over a packed sequence (rows sorted by length; step t runs the active[t]
   * leading rows; P = Σ active): gates [P, 4H], h0, c0 [B, H], u [H, 4H]. Writes out
   * [P + 2B, H] (h of every packed row, final h, final c) and cs [P, H]; act [P, 4H] and
   * tanhC [P, H] when given.
   */
  lstmSequence(
    batch: number,
    hidden: number,
    active: Int32Array,
    gates: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    u: Float32Array,
    out: Float32Array,
    cs: Float32Array,
    act: Float32Array | null,
    tanhC: Float32Array | null,
  ): void;
  /** The backward of {@link NativeAddon.lstmSequence}: writes dG [P, 4H], dh0, dc0 [B, H] and dU [H, 4H] from dy [P + 2B, H]. */
  lstmSequenceGrad(
    batch: number,
    hidden: number,
    active: Int32Array,
    dy: Float32Array,
    act: Float32Array,
    tanhC: Float32Array,
    cs: Float32Array,
    hs: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    u: Float32Array,
    dG: Float32Array,
    dh0: Float32Array,
    dc0: Float32Array,
    dU: Float32Array,
  ): void;
  /** out = a ∘ b for an op of `BINARY_OPS`, broadcast by a mode of `BINARY_MODES`. */
  binary(op: BinaryOp, mode: BinaryMode, a: Float32Array, b: Float32Array, out: Float32Array): void;
  /** out = f(x) for an op of `UNARY_OPS`. */
  unary(op: UnaryOp, x: Float32Array, out: Float32Array): void;
  /**
   * One Adam step in one pass: g' = scale·g, m' = β1·m + (1−β1)·g', v' = β2·v + (1−β2)·g'²,
   * w' = w − stepSize·m' / (√v' + ε); every buffer holds w's element count (outputs may alias inputs).
   */
  adam(
    w: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    wOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    scale: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    stepSize: number,
  ): void;
  /** Σ x², accumulated in double. */
  sumSquares(x: Float32Array): number;
  /** Zeroes out, then out[ids[i]·width + j] += x[i·width + j] for every row i; ids outside [0, out.length / width) are dropped. */
  segmentSum(ids: Int32Array, x: Float32Array, width: number, out: Float32Array): void;
  /** Σ_i w_i·((1−ε)·(−log softmax(logits_i)[ids_i]) + ε·mean(−log softmax(logits_i))) over rows of logits [ids.length, vocab], in double. */
  maskedNll(logits: Float32Array, vocab: number, ids: Int32Array, weights: Float32Array, smoothing: number): number;
  /** out = scale·w_i·(softmax(logits_i) − (1−ε)·onehot(ids_i) − ε/vocab): the gradient of scale × {@link NativeAddon.maskedNll}. */
  maskedNllGrad(logits: Float32Array, vocab: number, ids: Int32Array, weights: Float32Array, smoothing: number, scale: number, out: Float32Array): void;
  /**
   * The fused decoder step's model handle over a decoder's weights (kept alive, never copied):
   * `dims` [cell, layers, E, H, V, attention, inputFeeding, output], `weights` in the step's order.
   */
  decodeStepModel(dims: Int32Array, weights: readonly (Float32Array | null)[]): object;
  /** A fused-step session for one encoded batch: memory [rows, S, H], lengths [rows], initial state [slabs, rows, H]. */
  decodeStepSession(
    model: object,
    rows: number,
    sourceLength: number,
    memory: Float32Array | null,
    lengths: Int32Array | null,
    initial: Float32Array,
    table: boolean,
  ): object;
  /** One fused decoder step for ids.length rows (row i continuing `parents[i]`): writes logits [n, V] and weights [n, S]. */
  decodeStep(session: object, ids: Int32Array, parents: Int32Array | null, logits: Float32Array, weights: Float32Array | null): void;
  /** Frees a fused-step session's buffers now. */
  decodeStepFree(session: object): void;
  /**
   * Where `values`' data starts: the byte offset of its first element past the last 64-byte
   * boundary (0 when aligned, and for an empty array). GEMM operands run fastest at 0.
   */
  alignmentOf(values: Float32Array): number;
}

/**
 * The C function behind each function of {@link NativeAddon}, in registration
 * order: the native build writes the prototypes and the registration table of
 * native/contract.h from it, so a new addon function is one row here (and its
 * method above), its C function, and its callers.
 */
export const ADDON_FUNCTIONS: { readonly [name in keyof NativeAddon]: string } = {
  sgemm: 'blas_sgemm',
  setThreads: 'blas_set_threads',
  info: 'blas_info',
  lstmCell: 'cell_lstm',
  lstmCellGrad: 'cell_lstm_grad',
  gruCell: 'cell_gru',
  rnnCell: 'cell_rnn',
  lstmSequence: 'sequence_lstm',
  lstmSequenceGrad: 'sequence_lstm_grad',
  binary: 'elementwise_binary',
  unary: 'elementwise_unary',
  adam: 'optim_adam',
  sumSquares: 'optim_sum_squares',
  segmentSum: 'segment_sum',
  maskedNll: 'nll_forward',
  maskedNllGrad: 'nll_backward',
  decodeStepModel: 'decode_step_model',
  decodeStepSession: 'decode_step_session',
  decodeStep: 'decode_step',
  decodeStepFree: 'decode_step_free',
  alignmentOf: 'alignment_of',
};

/** The largest GEMM dimension, stride or leading dimension the addon accepts: the int of cblas_sgemm (2³¹ − 1). */
export const GEMM_DIM_MAX = 2147483647;

/** The boundary (bytes) the engine's buffers start on: the addon's scratch memory and the backend's pool (a cache line, one AVX-512 vector). */
export const BUFFER_ALIGNMENT = 64;
