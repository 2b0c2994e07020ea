/* @seqloom/native's N-API module: registers the exported functions. */
#include "args.h"

napi_value blas_sgemm(napi_env env, napi_callback_info info);
napi_value blas_set_threads(napi_env env, napi_callback_info info);
napi_value blas_info(napi_env env, napi_callback_info info);
napi_value cell_lstm(napi_env env, napi_callback_info info);
napi_value cell_lstm_grad(napi_env env, napi_callback_info info);
napi_value cell_gru(napi_env env, napi_callback_info info);
napi_value cell_rnn(napi_env env, napi_callback_info info);
napi_value sequence_lstm(napi_env env, napi_callback_info info);
napi_value sequence_lstm_grad(napi_env env, napi_callback_info info);
napi_value elementwise_binary(napi_env env, napi_callback_info info);
napi_value elementwise_unary(napi_env env, napi_callback_info info);
napi_value optim_adam(napi_env env, napi_callback_info info);
napi_value optim_sum_squares(napi_env env, napi_callback_info info);
napi_value segment_sum(napi_env env, napi_callback_info info);
napi_value nll_forward(napi_env env, napi_callback_info info);
napi_value nll_backward(napi_env env, napi_callback_info info);

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
    {"sgemm", NULL, blas_sgemm, NULL, NULL, NULL, napi_default, NULL},
    {"setThreads", NULL, blas_set_threads, NULL, NULL, NULL, napi_default, NULL},
    {"info", NULL, blas_info, NULL, NULL, NULL, napi_default, NULL},
    {"lstmCell", NULL, cell_lstm, NULL, NULL, NULL, napi_default, NULL},
    {"lstmCellGrad", NULL, cell_lstm_grad, NULL, NULL, NULL, napi_default, NULL},
    {"gruCell", NULL, cell_gru, NULL, NULL, NULL, napi_default, NULL},
    {"rnnCell", NULL, cell_rnn, NULL, NULL, NULL, napi_default, NULL},
    {"lstmSequence", NULL, sequence_lstm, NULL, NULL, NULL, napi_default, NULL},
    {"lstmSequenceGrad", NULL, sequence_lstm_grad, NULL, NULL, NULL, napi_default, NULL},
    {"binary", NULL, elementwise_binary, NULL, NULL, NULL, napi_default, NULL},
    {"unary", NULL, elementwise_unary, NULL, NULL, NULL, napi_default, NULL},
    {"adam", NULL, optim_adam, NULL, NULL, NULL, napi_default, NULL},
    {"sumSquares", NULL, optim_sum_squares, NULL, NULL, NULL, napi_default, NULL},
    {"segmentSum", NULL, segment_sum, NULL, NULL, NULL, napi_default, NULL},
    {"maskedNll", NULL, nll_forward, NULL, NULL, NULL, napi_default, NULL},
    {"maskedNllGrad", NULL, nll_backward, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
