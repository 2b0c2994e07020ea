/* Checked size arithmetic shared by the addon's functions: every product or
 * sum of sizes is computed with overflow detection before it meets a pointer,
 * and a size beyond what the GEMM takes (its int dimensions) is refused, each
 * with a thrown RangeError naming the function and the size, never a crash. */
#ifndef SEQLOOM_SIZES_H
#define SEQLOOM_SIZES_H

#include "contract.h"

/* *out = factors[0]·…·factors[count−1] (each ≥ 0); returns 0 after throwing, naming `what`,
 * when the product overflows int64. */
int size_product(napi_env env, const char *fn, const char *what, const int64_t *factors, size_t count, int64_t *out);

/* size_product over the arguments after `out`, e.g. SIZE_OF(env, fn, "x", &n, rows, 4, hidden). */
#define SIZE_OF(env, fn, what, out, ...)                                                              \
  size_product(env, fn, what, (const int64_t[]){__VA_ARGS__}, sizeof((const int64_t[]){__VA_ARGS__}) / \
                                                                   sizeof(int64_t), out)

/* *out = a + b (each ≥ 0); returns 0 after throwing, naming `what`, when it overflows int64. */
int size_sum(napi_env env, const char *fn, const char *what, int64_t a, int64_t b, int64_t *out);

/* Returns 0 after throwing when `value`, a GEMM dimension, stride or leading dimension named
 * `name`, exceeds SEQLOOM_GEMM_DIM_MAX (the int of cblas_sgemm). */
int gemm_dim(napi_env env, const char *fn, const char *name, int64_t value);

/* need_len for a size from size_product/size_sum (≥ 0). */
int need_size(napi_env env, const f32_view *view, int64_t needed, const char *fn, const char *name);

#endif
