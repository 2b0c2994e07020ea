#include "args.h"

#include <math.h>
#include <stdio.h>

static void throw_type(napi_env env, const char *fn, const char *name, const char *expected) {
  char message[256];
  snprintf(message, sizeof message, "@seqloom/native %s: %s must be %s", fn, name, expected);
  napi_throw_type_error(env, NULL, message);
}

int get_args(napi_env env, napi_callback_info info, size_t count, napi_value *argv, const char *fn) {
  size_t given = count;
  if (napi_get_cb_info(env, info, &given, argv, NULL, NULL) != napi_ok) return 0;
  if (given < count) {
    char message[160];
    snprintf(message, sizeof message, "@seqloom/native %s: expected %zu arguments, got %zu", fn, count, given);
    napi_throw_type_error(env, NULL, message);
    return 0;
  }
  return 1;
}

int arg_f32(napi_env env, napi_value value, const char *fn, const char *name, f32_view *out) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) {
    throw_type(env, fn, name, "a Float32Array");
    return 0;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float32_array) {
    throw_type(env, fn, name, "a Float32Array (float32 tensor data)");
    return 0;
  }
  out->data = (float *)data;
  out->length = length;
  return 1;
}

int arg_int(napi_env env, napi_value value, const char *fn, const char *name, int64_t min, int64_t max, int64_t *out) {
  napi_valuetype kind;
  double number = 0;
  if (napi_typeof(env, value, &kind) != napi_ok || kind != napi_number ||
      napi_get_value_double(env, value, &number) != napi_ok || !isfinite(number) || floor(number) != number) {
    throw_type(env, fn, name, "an integer");
    return 0;
  }
  if (number < (double)min || number > (double)max) {
    char message[256];
    snprintf(message, sizeof message, "@seqloom/native %s: %s must be in [%lld, %lld], got %.0f", fn, name,
             (long long)min, (long long)max, number);
    napi_throw_range_error(env, NULL, message);
    return 0;
  }
  *out = (int64_t)number;
  return 1;
}

int arg_float(napi_env env, napi_value value, const char *fn, const char *name, float *out) {
  napi_valuetype kind;
  double number = 0;
  if (napi_typeof(env, value, &kind) != napi_ok || kind != napi_number ||
      napi_get_value_double(env, value, &number) != napi_ok || !isfinite(number)) {
    throw_type(env, fn, name, "a finite number");
    return 0;
  }
  *out = (float)number;
  return 1;
}

int arg_bool(napi_env env, napi_value value, const char *fn, const char *name, int *out) {
  napi_valuetype kind;
  bool flag = false;
  if (napi_typeof(env, value, &kind) != napi_ok || kind != napi_boolean || napi_get_value_bool(env, value, &flag) != napi_ok) {
    throw_type(env, fn, name, "a boolean");
    return 0;
  }
  *out = flag ? 1 : 0;
  return 1;
}

int need_len(napi_env env, const f32_view *view, size_t needed, const char *fn, const char *name) {
  if (view->length >= needed) return 1;
  char message[256];
  snprintf(message, sizeof message, "@seqloom/native %s: %s has %zu elements, the shapes need %zu", fn, name,
           view->length, needed);
  napi_throw_range_error(env, NULL, message);
  return 0;
}

int arg_i32(napi_env env, napi_value value, const char *fn, const char *name, i32_view *out) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, &length, &data, NULL, NULL) != napi_ok || type != napi_int32_array) {
    throw_type(env, fn, name, "an Int32Array");
    return 0;
  }
  out->data = (int32_t *)data;
  out->length = length;
  return 1;
}

int arg_f32_or_null(napi_env env, napi_value value, const char *fn, const char *name, f32_view *out) {
  napi_valuetype kind;
  if (napi_typeof(env, value, &kind) == napi_ok && (kind == napi_null || kind == napi_undefined)) {
    out->data = NULL;
    out->length = 0;
    return 1;
  }
  return arg_f32(env, value, fn, name, out);
}
