/* Row scatter-add: the gradient of a row gather (embedding lookups). */
#include "sizes.h"

#include <string.h>

/* segmentSum(ids, x, width, out): out[ids[i]·width + j] += x[i·width + j] for every row i of x,
 * over out zeroed first; ids outside [0, out.length / width) are dropped. ids is an Int32Array with
 * one id per row of x. */
napi_value segment_sum(napi_env env, napi_callback_info info) {
  const char *fn = "segmentSum";
  napi_value argv[4];
  int64_t width;
  f32_view xv, ov;
  if (!get_args(env, info, 4, argv, fn) || !arg_f32(env, argv[1], fn, "x", &xv) ||
      !arg_int(env, argv[2], fn, "width", 1, INT32_MAX, &width) || !arg_f32(env, argv[3], fn, "out", &ov)) {
    return NULL;
  }
  bool is_typed = false;
  napi_typedarray_type type;
  size_t count = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, argv[0], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[0], &type, &count, &data, NULL, NULL) != napi_ok || type != napi_int32_array) {
    napi_throw_type_error(env, NULL, "@seqloom/native segmentSum: ids must be an Int32Array");
    return NULL;
  }
  int64_t cells;
  if (!SIZE_OF(env, fn, "x (ids.length·width)", &cells, (int64_t)count, width) || !need_size(env, &xv, cells, fn, "x")) return NULL;
  if (ov.length % (size_t)width != 0) {
    napi_throw_range_error(env, NULL, "@seqloom/native segmentSum: out's length must be a multiple of width");
    return NULL;
  }
  const int32_t *ids = (const int32_t *)data;
  const size_t w = (size_t)width, segments = ov.length / w;
  float *out = ov.data;
  memset(out, 0, ov.length * sizeof(float));
  for (size_t r = 0; r < count; r++) {
    const int32_t id = ids[r];
    if (id < 0 || (size_t)id >= segments) continue;
    float *restrict dst = out + (size_t)id * w;
    const float *restrict src = xv.data + r * w;
    for (size_t j = 0; j < w; j++) dst[j] += src[j];
  }
  return NULL;
}
