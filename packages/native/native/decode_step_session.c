/* The per-batch side of the fused decoder step (decode_step.h): a session holds
 * one batch's recurrent state, attention memory and keys, and its scratch;
 * decodeStep runs one step on it (a pending beam reorder included). */
#include "decode_step.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void session_free(napi_env env, ds_session_box *box) {
  if (box->freed) return;
  ds_session_release(&box->s);
  napi_delete_reference(env, box->model_ref);
  box->freed = 1;
}

static void session_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  session_free(env, data);
  free(data);
}

/* Copies the attention memory [rows, S, H] and the source lengths (each in [1, S]) into the session. */
static int read_memory(napi_env env, napi_value *argv, ds_session *s) {
  const char *fn = "decodeStepSession";
  const ds_model *m = s->model;
  f32_view memory;
  i32_view lengths;
  size_t need;
  if (m->attention == DS_NONE) return 1;
  if (s->S < 1) return ds_fail(env, fn, "sourceLength must be at least 1 for a model with attention");
  if (!arg_f32(env, argv[0], fn, "memory", &memory) || !arg_i32(env, argv[1], fn, "lengths", &lengths) ||
      !ds_product3(env, fn, "memory size", s->batch, s->S, m->H, &need)) {
    return 0;
  }
  if (memory.length != need) {
    char message[200];
    snprintf(message, sizeof message, "memory has %zu elements, rows × sourceLength × hidden = %zu", memory.length, need);
    return ds_fail(env, fn, message);
  }
  if (lengths.length != (size_t)s->batch) return ds_fail(env, fn, "lengths must hold one source length per row");
  for (int64_t b = 0; b < s->batch; b++) {
    if (lengths.data[b] < 1 || lengths.data[b] > s->S) {
      char message[200];
      snprintf(message, sizeof message, "lengths[%lld] = %d is outside [1, sourceLength = %lld]", (long long)b, lengths.data[b], (long long)s->S);
      return ds_fail(env, fn, message);
    }
  }
  s->memory = ds_alloc(need, sizeof(float));
  s->lengths = ds_alloc((size_t)s->batch, sizeof(int32_t));
  if (s->memory == NULL || s->lengths == NULL) return ds_fail(env, fn, "out of memory for the attention memory");
  memcpy(s->memory, memory.data, need * sizeof(float));
  memcpy(s->lengths, lengths.data, (size_t)s->batch * sizeof(int32_t));
  return ds_session_keys(s) || ds_fail(env, fn, "out of memory for the attention keys");
}

/* Copies the initial state [slabs, rows, H] (per layer h (and c), then the fed-back vector). */
static int read_initial(napi_env env, napi_value value, ds_session *s) {
  const char *fn = "decodeStepSession";
  const int64_t H = s->model->H;
  f32_view initial;
  size_t need;
  if (!arg_f32(env, value, fn, "initial", &initial) || !ds_product3(env, fn, "initial state size", s->slabs, s->batch, H, &need)) return 0;
  if (initial.length != need) {
    char message[200];
    snprintf(message, sizeof message, "initial has %zu elements, the state needs %lld slabs × rows × hidden = %zu", initial.length,
             (long long)s->slabs, need);
    return ds_fail(env, fn, message);
  }
  if (!ds_session_reserve(s, s->batch)) return ds_fail(env, fn, "out of memory for the decoder state");
  for (int64_t k = 0; k < s->slabs; k++) {
    memcpy(s->state + k * s->cap * H, initial.data + k * s->batch * H, (size_t)(s->batch * H) * sizeof(float));
  }
  for (int64_t r = 0; r < s->batch; r++) s->source[r] = (int32_t)r;
  s->rows = s->batch;
  return 1;
}

/* decodeStepSession(model, rows, sourceLength, memory | null, lengths | null, initial, table) → handle */
napi_value decode_step_session(napi_env env, napi_callback_info info) {
  const char *fn = "decodeStepSession";
  napi_value argv[7], result;
  int64_t rows, source_length;
  int table;
  if (!get_args(env, info, 7, argv, fn)) return NULL;
  ds_model_box *model = ds_unwrap(env, argv[0], DS_MODEL_MAGIC, fn, "model");
  if (model == NULL || !arg_int(env, argv[1], fn, "rows", 1, DS_MAX_DIM, &rows) ||
      !arg_int(env, argv[2], fn, "sourceLength", 0, DS_MAX_DIM, &source_length) || !arg_bool(env, argv[6], fn, "table", &table)) {
    return NULL;
  }
  ds_model *m = &model->m;
  if (table && m->table == NULL && !ds_model_table(m)) {
    napi_throw_error(env, NULL, "@seqloom/native decodeStepSession: out of memory for the input table");
    return NULL;
  }
  ds_session_box *box = calloc(1, sizeof *box);
  if (box == NULL) {
    napi_throw_error(env, NULL, "@seqloom/native decodeStepSession: out of memory");
    return NULL;
  }
  box->magic = DS_SESSION_MAGIC;
  ds_session *s = &box->s;
  s->model = m, s->batch = rows, s->S = source_length;
  s->slabs = m->layers * (m->cell == DS_LSTM ? 2 : 1) + m->feeding;
  if (!read_memory(env, argv + 3, s) || !read_initial(env, argv[5], s) ||
      napi_create_reference(env, argv[0], 1, &box->model_ref) != napi_ok) {
    ds_session_release(s);
    free(box);
    return NULL;
  }
  if (napi_create_external(env, box, session_finalize, NULL, &result) != napi_ok) {
    session_finalize(env, box, NULL);
    return NULL;
  }
  return result;
}

/* Checks ids (each in [0, V)) and parents (null: n = rows; else n rows, each in [0, rows)). */
static int check_rows(napi_env env, const ds_session *s, const i32_view *ids, napi_value value, const int32_t **parents) {
  const char *fn = "decodeStep";
  char message[200];
  for (size_t i = 0; i < ids->length; i++) {
    if (ids->data[i] < 0 || ids->data[i] >= s->model->V) {
      snprintf(message, sizeof message, "ids[%zu] = %d is outside the vocabulary [0, %lld)", i, ids->data[i], (long long)s->model->V);
      return ds_fail(env, fn, message);
    }
  }
  napi_valuetype kind;
  *parents = NULL;
  if (napi_typeof(env, value, &kind) == napi_ok && (kind == napi_null || kind == napi_undefined)) {
    if (ids->length == (size_t)s->rows) return 1;
    snprintf(message, sizeof message, "ids has %zu rows but the session has %lld (pass parents to reorder)", ids->length, (long long)s->rows);
    return ds_fail(env, fn, message);
  }
  i32_view view;
  if (!arg_i32(env, value, fn, "parents", &view)) return 0;
  if (view.length != ids->length) return ds_fail(env, fn, "parents must hold one parent row per id");
  for (size_t i = 0; i < view.length; i++) {
    if (view.data[i] < 0 || view.data[i] >= s->rows) {
      snprintf(message, sizeof message, "parents[%zu] = %d is not a row of the session (0 to %lld)", i, view.data[i], (long long)s->rows - 1);
      return ds_fail(env, fn, message);
    }
  }
  *parents = view.data;
  return 1;
}

/* decodeStep(session, ids, parents | null, logits, weights | null) */
napi_value decode_step(napi_env env, napi_callback_info info) {
  const char *fn = "decodeStep";
  napi_value argv[5];
  i32_view ids;
  f32_view logits, weights;
  const int32_t *parents;
  size_t need;
  if (!get_args(env, info, 5, argv, fn)) return NULL;
  ds_session_box *box = ds_unwrap(env, argv[0], DS_SESSION_MAGIC, fn, "session");
  if (box == NULL) return NULL;
  if (box->freed) {
    ds_fail(env, fn, "the session was freed (decodeStepFree); start a new one");
    return NULL;
  }
  ds_session *s = &box->s;
  if (!arg_i32(env, argv[1], fn, "ids", &ids) || !arg_f32(env, argv[3], fn, "logits", &logits) ||
      !arg_f32_or_null(env, argv[4], fn, "weights", &weights)) {
    return NULL;
  }
  if (ids.length < 1 || ids.length > DS_MAX_DIM) {
    ds_fail(env, fn, "ids must hold between 1 and 2^24 rows");
    return NULL;
  }
  const int64_t n = (int64_t)ids.length;
  if (!check_rows(env, s, &ids, argv[2], &parents) || !ds_product3(env, fn, "logits size", n, s->model->V, 1, &need) ||
      !need_len(env, &logits, need, fn, "logits")) {
    return NULL;
  }
  const int attends = s->model->attention != DS_NONE && weights.data != NULL;
  if (attends && (!ds_product3(env, fn, "weights size", n, s->S, 1, &need) || !need_len(env, &weights, need, fn, "weights"))) return NULL;
  if (!ds_session_reserve(s, n)) {
    session_free(env, box);
    napi_throw_error(env, NULL, "@seqloom/native decodeStep: out of memory for the session's rows (the session was freed)");
    return NULL;
  }
  ds_step(s, ids.data, parents, n, logits.data, attends ? weights.data : NULL);
  return NULL;
}

/* decodeStepFree(session): frees the session's buffers now; later steps on it throw. */
napi_value decode_step_free(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, "decodeStepFree")) return NULL;
  ds_session_box *box = ds_unwrap(env, argv[0], DS_SESSION_MAGIC, "decodeStepFree", "session");
  if (box != NULL) session_free(env, box);
  return NULL;
}
