/* Argument checks shared by the addon's functions: every bad argument becomes a
 * thrown JavaScript TypeError/RangeError naming the argument, never a crash. */
#ifndef SEQLOOM_ARGS_H
#define SEQLOOM_ARGS_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

/* A Float32Array argument: its data (byteOffset applied) and element count. */
typedef struct {
  float *data;
  size_t length;
} f32_view;

/* An Int32Array argument. */
typedef struct {
  int32_t *data;
  size_t length;
} i32_view;

/* Returns 0 after throwing when argument `index` is not a Float32Array. */
int arg_f32(napi_env env, napi_value value, const char *fn, const char *name, f32_view *out);
/* Returns 0 after throwing when the argument is not an Int32Array. */
int arg_i32(napi_env env, napi_value value, const char *fn, const char *name, i32_view *out);
/* A Float32Array or null/undefined (then out->data is NULL); returns 0 after throwing otherwise. */
int arg_f32_or_null(napi_env env, napi_value value, const char *fn, const char *name, f32_view *out);
/* Returns 0 after throwing when the argument is not an integer in [min, max]. */
int arg_int(napi_env env, napi_value value, const char *fn, const char *name, int64_t min, int64_t max, int64_t *out);
/* Returns 0 after throwing when the argument is not a finite number. */
int arg_float(napi_env env, napi_value value, const char *fn, const char *name, float *out);
/* Returns 0 after throwing when the argument is not a boolean. */
int arg_bool(napi_env env, napi_value value, const char *fn, const char *name, int *out);
/* Returns 0 after throwing when `view` holds fewer than `needed` elements. */
int need_len(napi_env env, const f32_view *view, size_t needed, const char *fn, const char *name);
/* Reads exactly `count` arguments; returns 0 after throwing when fewer were given. */
int get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *fn);

#endif
