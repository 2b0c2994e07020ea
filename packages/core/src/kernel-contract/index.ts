// The kernel contract: what seqloom's engines and kernel sets agree on. The
// enable command is under `@seqloom/core/enable-command` (plain JavaScript the
// native install step reads before anything is built).
export {
  ADAM_UPDATE_KERNEL,
  GRU_CELL_KERNEL,
  LSTM_CELL_GRAD_KERNEL,
  LSTM_CELL_KERNEL,
  LSTM_SEQUENCE_GRAD_KERNEL,
  LSTM_SEQUENCE_KERNEL,
  MASKED_NLL_GRAD_KERNEL,
  MASKED_NLL_KERNEL,
  RNN_CELL_KERNEL,
  SUM_OF_SQUARES_KERNEL,
} from './kernel-names.js';
export { BINARY_MODES, BINARY_OPS, UNARY_OPS, type BinaryMode, type BinaryOp, type UnaryOp } from './elementwise-codes.js';
export { ADDON_FUNCTIONS, BUFFER_ALIGNMENT, GEMM_DIM_MAX, SEQLOOM_KERNELS, type BlasInfo, type NativeAddon, type SeqloomKernelSpec } from './contract-table.js';
export {
  FUSED_DECODER_ATTENTIONS,
  FUSED_DECODER_CELLS,
  FUSED_DECODER_OUTPUTS,
  isFusedDecoderCell,
  type FusedDecoderAttention,
  type FusedDecoderCell,
  type FusedDecoderEngine,
  type FusedDecoderLayer,
  type FusedDecoderOutput,
  type FusedDecoderSpec,
  type FusedDecoderWeights,
  type FusedModelHandle,
  type FusedSessionHandle,
  type FusedSessionInit,
} from './fused-decoder.js';
