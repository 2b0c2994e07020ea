/* Generated from @seqloom/core's kernel contract (packages/core/src/kernel-contract/) by
 * scripts/contract-header.mjs: do not edit; change the contract and run the build. */
#ifndef SEQLOOM_CONTRACT_H
#define SEQLOOM_CONTRACT_H

#include "args.h"

/* binary(op, mode, a, b, out): the op (BINARY_OPS) and how a and b broadcast (BINARY_MODES). */
enum seqloom_binary_op {
  SEQLOOM_BINARY_ADD = 0,
  SEQLOOM_BINARY_SUB = 1,
  SEQLOOM_BINARY_MUL = 2,
  SEQLOOM_BINARY_DIV = 3,
  SEQLOOM_BINARY_COUNT = 4
};
enum seqloom_binary_mode {
  SEQLOOM_MODE_SAME = 0,
  SEQLOOM_MODE_SCALAR_B = 1,
  SEQLOOM_MODE_SCALAR_A = 2,
  SEQLOOM_MODE_ROW_B = 3,
  SEQLOOM_MODE_ROW_A = 4,
  SEQLOOM_MODE_COLUMN_B = 5,
  SEQLOOM_MODE_COLUMN_A = 6,
  SEQLOOM_MODE_COUNT = 7
};
/* unary(op, x, out) (UNARY_OPS). */
enum seqloom_unary_op {
  SEQLOOM_UNARY_SQRT = 0,
  SEQLOOM_UNARY_SQUARE = 1,
  SEQLOOM_UNARY_EXP = 2,
  SEQLOOM_UNARY_LOG = 3,
  SEQLOOM_UNARY_NEG = 4,
  SEQLOOM_UNARY_RSQRT = 5,
  SEQLOOM_UNARY_SIGMOID = 6,
  SEQLOOM_UNARY_TANH = 7,
  SEQLOOM_UNARY_RELU = 8,
  SEQLOOM_UNARY_ABS = 9,
  SEQLOOM_UNARY_COUNT = 10
};

/* The largest GEMM dimension, stride or leading dimension (GEMM_DIM_MAX: cblas_sgemm's int). */
#define SEQLOOM_GEMM_DIM_MAX 2147483647
/* The boundary (bytes) every scratch buffer of the addon starts on (BUFFER_ALIGNMENT). */
#define SEQLOOM_ALIGNMENT 64

/* X(js name, C function) for every function the addon exports (ADDON_FUNCTIONS). */
#define SEQLOOM_ADDON_FUNCTIONS(X) \
  X("sgemm", blas_sgemm) \
  X("setThreads", blas_set_threads) \
  X("info", blas_info) \
  X("lstmCell", cell_lstm) \
  X("lstmCellGrad", cell_lstm_grad) \
  X("gruCell", cell_gru) \
  X("rnnCell", cell_rnn) \
  X("lstmSequence", sequence_lstm) \
  X("lstmSequenceGrad", sequence_lstm_grad) \
  X("binary", elementwise_binary) \
  X("unary", elementwise_unary) \
  X("adam", optim_adam) \
  X("sumSquares", optim_sum_squares) \
  X("segmentSum", segment_sum) \
  X("maskedNll", nll_forward) \
  X("maskedNllGrad", nll_backward) \
  X("decodeStepModel", decode_step_model) \
  X("decodeStepSession", decode_step_session) \
  X("decodeStep", decode_step) \
  X("decodeStepFree", decode_step_free) \
  X("alignmentOf", alignment_of)

#define SEQLOOM_DECLARE_FUNCTION(js, c) napi_value c(napi_env env, napi_callback_info info);
SEQLOOM_ADDON_FUNCTIONS(SEQLOOM_DECLARE_FUNCTION)
#undef SEQLOOM_DECLARE_FUNCTION

#endif
