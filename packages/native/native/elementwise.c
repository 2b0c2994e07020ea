/* Float32 binary arithmetic with the broadcasts a training step uses, and
 * unary maths; op and mode codes are the contract's (contract.h). */
#include "contract.h"

#include <math.h>

#define LOOPS(EXPR)                                                                      \
  switch (mode) {                                                                        \
    case SEQLOOM_MODE_SAME: for (size_t i = 0; i < n; i++) { float x = a[i], y = b[i]; o[i] = EXPR; } break; \
    case SEQLOOM_MODE_SCALAR_B: { float y = b[0]; for (size_t i = 0; i < n; i++) { float x = a[i]; o[i] = EXPR; } } break; \
    case SEQLOOM_MODE_SCALAR_A: { float x = a[0]; for (size_t i = 0; i < n; i++) { float y = b[i]; o[i] = EXPR; } } break; \
    case SEQLOOM_MODE_ROW_B: for (size_t r = 0; r < n; r += w) for (size_t j = 0; j < w; j++) { float x = a[r + j], y = b[j]; o[r + j] = EXPR; } break; \
    case SEQLOOM_MODE_ROW_A: for (size_t r = 0; r < n; r += w) for (size_t j = 0; j < w; j++) { float x = a[j], y = b[r + j]; o[r + j] = EXPR; } break; \
    case SEQLOOM_MODE_COLUMN_B: for (size_t r = 0; r < n / w; r++) { float y = b[r]; for (size_t j = 0; j < w; j++) { float x = a[r * w + j]; o[r * w + j] = EXPR; } } break; \
    default: for (size_t r = 0; r < n / w; r++) { float x = a[r]; for (size_t j = 0; j < w; j++) { float y = b[r * w + j]; o[r * w + j] = EXPR; } } break; \
  }

/* binary(op, mode, a, b, out): out = a ∘ b (op: SEQLOOM_BINARY_*). mode SAME: a, b, out of one size;
 * SCALAR_B/SCALAR_A: that side a scalar; ROW_B: b a row repeated over a (out.length a multiple
 * of b.length); ROW_A: a a row repeated over b; COLUMN_B: b one value per row of a (rows of
 * out.length / b.length); COLUMN_A: a one value per row of b. */
napi_value elementwise_binary(napi_env env, napi_callback_info info) {
  const char *fn = "binary";
  napi_value argv[5];
  int64_t op, mode;
  f32_view av, bv, ov;
  if (!get_args(env, info, 5, argv, fn) || !arg_int(env, argv[0], fn, "op", 0, SEQLOOM_BINARY_COUNT - 1, &op) ||
      !arg_int(env, argv[1], fn, "mode", 0, SEQLOOM_MODE_COUNT - 1, &mode) || !arg_f32(env, argv[2], fn, "a", &av) ||
      !arg_f32(env, argv[3], fn, "b", &bv) || !arg_f32(env, argv[4], fn, "out", &ov)) {
    return NULL;
  }
  const size_t n = ov.length;
  const int row_b = mode == SEQLOOM_MODE_ROW_B, row_a = mode == SEQLOOM_MODE_ROW_A;
  const int column_b = mode == SEQLOOM_MODE_COLUMN_B, column_a = mode == SEQLOOM_MODE_COLUMN_A;
  const size_t need_a = mode == SEQLOOM_MODE_SCALAR_A ? 1 : (row_a || column_a) ? 0 : n;
  const size_t need_b = mode == SEQLOOM_MODE_SCALAR_B ? 1 : (row_b || column_b) ? 0 : n;
  /* row width: the row's length (ROW_*), or out's length over the per-row values (COLUMN_*) */
  const size_t per = column_b ? bv.length : column_a ? av.length : 1;
  const size_t w = row_b ? bv.length : row_a ? av.length : ((column_b || column_a) && per > 0) ? n / per : 1;
  if (!need_len(env, &av, need_a, fn, "a") || !need_len(env, &bv, need_b, fn, "b")) return NULL;
  if ((row_b || row_a || column_b || column_a) && (w == 0 || per == 0 || n % w != 0 || ((column_b || column_a) && n != w * per))) {
    napi_throw_range_error(env, NULL, "@seqloom/native binary: out's length must be a multiple of the row's");
    return NULL;
  }
  const float *a = av.data, *b = bv.data;
  float *o = ov.data;
  switch (op) {
    case SEQLOOM_BINARY_ADD: LOOPS(x + y); break;
    case SEQLOOM_BINARY_SUB: LOOPS(x - y); break;
    case SEQLOOM_BINARY_MUL: LOOPS(x * y); break;
    default: LOOPS(x / y); break;
  }
  return NULL;
}

/* unary(op, x, out): out = f(x), op SEQLOOM_UNARY_* (sqrt, square, exp, log, neg, rsqrt, sigmoid, tanh, relu, abs) */
napi_value elementwise_unary(napi_env env, napi_callback_info info) {
  const char *fn = "unary";
  napi_value argv[3];
  int64_t op;
  f32_view xv, ov;
  if (!get_args(env, info, 3, argv, fn) || !arg_int(env, argv[0], fn, "op", 0, SEQLOOM_UNARY_COUNT - 1, &op) ||
      !arg_f32(env, argv[1], fn, "x", &xv) || !arg_f32(env, argv[2], fn, "out", &ov) ||
      !need_len(env, &xv, ov.length, fn, "x")) {
    return NULL;
  }
  const size_t n = ov.length;
  const float *x = xv.data;
  float *o = ov.data;
  switch (op) {
    case SEQLOOM_UNARY_SQRT: for (size_t i = 0; i < n; i++) o[i] = sqrtf(x[i]); break;
    case SEQLOOM_UNARY_SQUARE: for (size_t i = 0; i < n; i++) o[i] = x[i] * x[i]; break;
    case SEQLOOM_UNARY_EXP: for (size_t i = 0; i < n; i++) o[i] = expf(x[i]); break;
    case SEQLOOM_UNARY_LOG: for (size_t i = 0; i < n; i++) o[i] = logf(x[i]); break;
    case SEQLOOM_UNARY_NEG: for (size_t i = 0; i < n; i++) o[i] = -x[i]; break;
    case SEQLOOM_UNARY_RSQRT: for (size_t i = 0; i < n; i++) o[i] = 1.0f / sqrtf(x[i]); break;
    case SEQLOOM_UNARY_SIGMOID: for (size_t i = 0; i < n; i++) o[i] = 1.0f / (1.0f + expf(-x[i])); break;
    case SEQLOOM_UNARY_TANH: for (size_t i = 0; i < n; i++) o[i] = tanhf(x[i]); break;
    case SEQLOOM_UNARY_RELU: for (size_t i = 0; i < n; i++) o[i] = x[i] > 0.0f ? x[i] : 0.0f; break;
    default: for (size_t i = 0; i < n; i++) o[i] = fabsf(x[i]); break;
  }
  return NULL;
}
