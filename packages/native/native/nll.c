/* Log-softmax + masked negative log-likelihood over rows of logits, forward and backward. */
#include "sizes.h"

#include <math.h>

/* Reads the shared arguments: logits [rows, vocab], ids (Int32Array, one per row), weights [rows]. */
static int nll_args(napi_env env, napi_value *argv, const char *fn, f32_view *logits, const int32_t **ids,
                    f32_view *weights, size_t *rows, size_t *vocab, float *smoothing) {
  int64_t v;
  napi_typedarray_type type;
  bool is_typed = false;
  size_t count = 0;
  void *data = NULL;
  if (!arg_f32(env, argv[0], fn, "logits", logits) || !arg_int(env, argv[1], fn, "vocab", 1, INT32_MAX, &v)) return 0;
  if (napi_is_typedarray(env, argv[2], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[2], &type, &count, &data, NULL, NULL) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "@seqloom/native maskedNll: ids must be an Int32Array");
    return 0;
  }
  int64_t cells;
  if (!arg_f32(env, argv[3], fn, "weights", weights) || !need_len(env, weights, count, fn, "weights") ||
      !SIZE_OF(env, fn, "logits (ids.length·vocab)", &cells, (int64_t)count, v) ||
      !need_size(env, logits, cells, fn, "logits") || !arg_float(env, argv[4], fn, "smoothing", smoothing)) {
    return 0;
  }
  for (size_t i = 0; i < count; i++) {
    if (((const int32_t *)data)[i] < 0 || ((const int32_t *)data)[i] >= v) {
      napi_throw_range_error(env, NULL, "@seqloom/native maskedNll: every id must be in [0, vocab)");
      return 0;
    }
  }
  *ids = (const int32_t *)data;
  *rows = count;
  *vocab = (size_t)v;
  return 1;
}

/* max and log Σ exp(x − max) of one row */
static void row_lse(const float *x, size_t vocab, float *max_out, float *lse_out) {
  float max = -INFINITY;
  for (size_t j = 0; j < vocab; j++) max = x[j] > max ? x[j] : max;
  float total = 0;
  for (size_t j = 0; j < vocab; j++) total += expf(x[j] - max);
  *max_out = max;
  *lse_out = logf(total);
}

/* maskedNll(logits, vocab, ids, weights, smoothing) → Σ_i w_i·((1−ε)·(−log p_i[id_i]) + ε·mean_j(−log p_i[j])),
 * in double. Rows with weight 0 are skipped. */
napi_value nll_forward(napi_env env, napi_callback_info info) {
  const char *fn = "maskedNll";
  napi_value argv[5];
  f32_view logits, weights;
  const int32_t *ids;
  size_t rows, vocab;
  float eps;
  if (!get_args(env, info, 5, argv, fn) || !nll_args(env, argv, fn, &logits, &ids, &weights, &rows, &vocab, &eps)) return NULL;
  double total = 0;
  for (size_t i = 0; i < rows; i++) {
    if (weights.data[i] == 0.0f) continue;
    const float *x = logits.data + i * vocab;
    float max, lse;
    row_lse(x, vocab, &max, &lse);
    double per = (1.0 - eps) * (double)(lse - (x[ids[i]] - max));
    if (eps != 0.0f) {
      double mean = 0;
      for (size_t j = 0; j < vocab; j++) mean += (double)(x[j] - max);
      per += eps * ((double)lse - mean / (double)vocab);
    }
    total += (double)weights.data[i] * per;
  }
  napi_value result;
  napi_create_double(env, total, &result);
  return result;
}

/* maskedNllGrad(logits, vocab, ids, weights, smoothing, scale, out): out = scale·w_i·(softmax_i − (1−ε)·onehot(id_i) − ε/V),
 * the gradient of scale × the forward sum. */
napi_value nll_backward(napi_env env, napi_callback_info info) {
  const char *fn = "maskedNllGrad";
  napi_value argv[7];
  f32_view logits, weights, out;
  const int32_t *ids;
  size_t rows, vocab;
  float eps, scale;
  if (!get_args(env, info, 7, argv, fn) || !nll_args(env, argv, fn, &logits, &ids, &weights, &rows, &vocab, &eps) ||
      !arg_float(env, argv[5], fn, "scale", &scale) || !arg_f32(env, argv[6], fn, "out", &out) ||
      !need_len(env, &out, rows * vocab, fn, "out")) { /* rows·vocab ≤ logits.length: checked above */
    return NULL;
  }
  const float uniform = eps / (float)vocab;
  for (size_t i = 0; i < rows; i++) {
    const float *x = logits.data + i * vocab;
    float *o = out.data + i * vocab;
    const float w = scale * weights.data[i];
    if (w == 0.0f) {
      for (size_t j = 0; j < vocab; j++) o[j] = 0.0f;
      continue;
    }
    float max, lse;
    row_lse(x, vocab, &max, &lse);
    const float shift = max + lse;
    for (size_t j = 0; j < vocab; j++) o[j] = w * (expf(x[j] - shift) - uniform);
    o[ids[i]] -= w * (1.0f - eps);
  }
  return NULL;
}
