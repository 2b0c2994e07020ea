#include "sizes.h"

#include <stdio.h>

static int overflow(napi_env env, const char *fn, const char *what) {
  char message[256];
  snprintf(message, sizeof message,
           "@seqloom/native %s: the size of %s overflows 64-bit integers; expected sizes whose products fit "
           "in memory",
           fn, what);
  napi_throw_range_error(env, NULL, message);
  return 0;
}

int size_product(napi_env env, const char *fn, const char *what, const int64_t *factors, size_t count, int64_t *out) {
  int64_t total = 1;
  for (size_t i = 0; i < count; i++) {
    if (factors[i] < 0 || __builtin_mul_overflow(total, factors[i], &total)) return overflow(env, fn, what);
  }
  *out = total;
  return 1;
}

int size_sum(napi_env env, const char *fn, const char *what, int64_t a, int64_t b, int64_t *out) {
  if (a < 0 || b < 0 || __builtin_add_overflow(a, b, out)) return overflow(env, fn, what);
  return 1;
}

int gemm_dim(napi_env env, const char *fn, const char *name, int64_t value) {
  if (value <= SEQLOOM_GEMM_DIM_MAX) return 1;
  char message[256];
  snprintf(message, sizeof message,
           "@seqloom/native %s: %s is %lld, beyond the GEMM's largest dimension %lld (its int); expected a "
           "smaller batch or layer",
           fn, name, (long long)value, (long long)SEQLOOM_GEMM_DIM_MAX);
  napi_throw_range_error(env, NULL, message);
  return 0;
}

int need_size(napi_env env, const f32_view *view, int64_t needed, const char *fn, const char *name) {
  if (needed < 0 || (uint64_t)needed > (uint64_t)SIZE_MAX) return overflow(env, fn, name);
  return need_len(env, view, (size_t)needed, fn, name);
}
