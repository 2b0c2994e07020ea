/* Float32 binary arithmetic with the broadcasts a training step uses. */
#include "args.h"

#include <math.h>

#define LOOPS(EXPR)                                                                      \
  switch (mode) {                                                                        \
    case 0: for (size_t i = 0; i < n; i++) { float x = a[i], y = b[i]; o[i] = EXPR; } break; \
    case 1: { float y = b[0]; for (size_t i = 0; i < n; i++) { float x = a[i]; o[i] = EXPR; } } break; \
    case 2: { float x = a[0]; for (size_t i = 0; i < n; i++) { float y = b[i]; o[i] = EXPR; } } break; \
    case 3: for (size_t r = 0; r < n; r += w) for (size_t j = 0; j < w; j++) { float x = a[r + j], y = b[j]; o[r + j] = EXPR; } break; \
    case 4: for (size_t r = 0; r < n; r += w) for (size_t j = 0; j < w; j++) { float x = a[j], y = b[r + j]; o[r + j] = EXPR; } break; \
    case 5: for (size_t r = 0; r < n / w; r++) { float y = b[r]; for (size_t j = 0; j < w; j++) { float x = a[r * w + j]; o[r * w + j] = EXPR; } } break; \
    default: for (size_t r = 0; r < n / w; r++) { float x = a[r]; for (size_t j = 0; j < w; j++) { float y = b[r * w + j]; o[r * w + j] = EXPR; } } break; \
  }

/* binary(op, mode, a, b, out): out = a ∘ b, op 0 +, 1 −, 2 ×, 3 ÷. mode 0: a, b, out of one size;
 * 1: b a scalar; 2: a a scalar; 3: b a row repeated over a (out.length a multiple of b.length);
 * 4: a a row repeated over b; 5: b one value per row of a (rows of out.length / b.length);
 * 6: a one value per row of b. */
napi_value elementwise_binary(napi_env env, napi_callback_info info) {
  const char *fn = "binary";
  napi_value argv[5];
  int64_t op, mode;
  f32_view av, bv, ov;
  if (!get_args(env, info, 5, argv, fn) || !arg_int(env, argv[0], fn, "op", 0, 3, &op) ||
      !arg_int(env, argv[1], fn, "mode", 0, 6, &mode) || !arg_f32(env, argv[2], fn, "a", &av) ||
      !arg_f32(env, argv[3], fn, "b", &bv) || !arg_f32(env, argv[4], fn, "out", &ov)) {
    return NULL;
  }
  const size_t n = ov.length;
  const size_t need_a = mode == 2 ? 1 : (mode == 4 || mode == 6) ? 0 : n;
  const size_t need_b = mode == 1 ? 1 : (mode == 3 || mode == 5) ? 0 : n;
  /* row width: the row's length (3, 4), or out's length over the per-row values (5, 6) */
  const size_t per = mode == 5 ? bv.length : mode == 6 ? av.length : 1;
  const size_t w = mode == 3 ? bv.length : mode == 4 ? av.length : (mode >= 5 && per > 0) ? n / per : 1;
  if (!need_len(env, &av, need_a, fn, "a") || !need_len(env, &bv, need_b, fn, "b")) return NULL;
  if (mode >= 3 && (w == 0 || per == 0 || n % w != 0 || (mode >= 5 && n != w * per))) {
    napi_throw_range_error(env, NULL, "@seqloom/native binary: out's length must be a multiple of the row's");
    return NULL;
  }
  const float *a = av.data, *b = bv.data;
  float *o = ov.data;
  switch (op) {
    case 0: LOOPS(x + y); break;
    case 1: LOOPS(x - y); break;
    case 2: LOOPS(x * y); break;
    default: LOOPS(x / y); break;
  }
  return NULL;
}

/* unary(op, x, out): 0 sqrt, 1 square, 2 exp, 3 log, 4 neg, 5 rsqrt, 6 sigmoid, 7 tanh, 8 relu, 9 abs */
napi_value elementwise_unary(napi_env env, napi_callback_info info) {
  const char *fn = "unary";
  napi_value argv[3];
  int64_t op;
  f32_view xv, ov;
  if (!get_args(env, info, 3, argv, fn) || !arg_int(env, argv[0], fn, "op", 0, 9, &op) ||
      !arg_f32(env, argv[1], fn, "x", &xv) || !arg_f32(env, argv[2], fn, "out", &ov) ||
      !need_len(env, &xv, ov.length, fn, "x")) {
    return NULL;
  }
  const size_t n = ov.length;
  const float *x = xv.data;
  float *o = ov.data;
  switch (op) {
    case 0: for (size_t i = 0; i < n; i++) o[i] = sqrtf(x[i]); break;
    case 1: for (size_t i = 0; i < n; i++) o[i] = x[i] * x[i]; break;
    case 2: for (size_t i = 0; i < n; i++) o[i] = expf(x[i]); break;
    case 3: for (size_t i = 0; i < n; i++) o[i] = logf(x[i]); break;
    case 4: for (size_t i = 0; i < n; i++) o[i] = -x[i]; break;
    case 5: for (size_t i = 0; i < n; i++) o[i] = 1.0f / sqrtf(x[i]); break;
    case 6: for (size_t i = 0; i < n; i++) o[i] = 1.0f / (1.0f + expf(-x[i])); break;
    case 7: for (size_t i = 0; i < n; i++) o[i] = tanhf(x[i]); break;
    case 8: for (size_t i = 0; i < n; i++) o[i] = x[i] > 0.0f ? x[i] : 0.0f; break;
    default: for (size_t i = 0; i < n; i++) o[i] = fabsf(x[i]); break;
  }
  return NULL;
}
