/* The fused decoder step's JavaScript functions (decode_step.h):
 *   decodeStepModel(dims, weights)            → a model handle (weights referenced, not copied)
 *   decodeStepSession(model, rows, sourceLength, memory, lengths, initial, table) → a session handle
 *   decodeStep(session, ids, parents, logits, weights)   one step, reorder included
 *   decodeStepFree(session)                   frees a session's buffers now (GC does it otherwise)
 * Every size and buffer is checked here; products of sizes with __builtin_mul_overflow. */
#include "decode_step.h"

#include "alignment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


int ds_fail(napi_env env, const char *fn, const char *message) {
  char text[320];
  snprintf(text, sizeof text, "@seqloom/native %s: %s", fn, message);
  napi_throw_range_error(env, NULL, text);
  return 0;
}

/* *out = a·b·c, or 0 after throwing when it overflows. */
int ds_product3(napi_env env, const char *fn, const char *what, int64_t a, int64_t b, int64_t c, size_t *out) {
  size_t ab, abc;
  if (__builtin_mul_overflow((size_t)a, (size_t)b, &ab) || __builtin_mul_overflow(ab, (size_t)c, &abc)) {
    char message[200];
    snprintf(message, sizeof message, "%s (%lld × %lld × %lld) overflows the address space", what, (long long)a, (long long)b, (long long)c);
    return ds_fail(env, fn, message);
  }
  *out = abc;
  return 1;
}

void *ds_alloc(size_t count, size_t width) {
  return alignment_alloc(count, width);
}

void ds_session_release(ds_session *s) {
  void *buffers[] = {s->memory, s->keys, s->lengths, s->source, s->state, s->next, s->parent, s->position,
                     s->unique, s->mark, s->source_next, s->input, s->gates, s->product, s->distinct, s->act,
                     s->joined, s->query, s->attended, s->projected};
  for (size_t i = 0; i < sizeof buffers / sizeof buffers[0]; i++) free(buffers[i]);
  memset(s, 0, sizeof *s);
}

/* Grows every per-row buffer to `rows` rows, keeping the live rows' state and sources. */
int ds_session_reserve(ds_session *s, int64_t rows) {
  if (rows <= s->cap) return 1;
  const ds_model *m = s->model;
  const size_t H = (size_t)m->H, E = (size_t)m->E, GH = (size_t)(m->gates * m->H), R = (size_t)rows;
  size_t slab_count, per_row_floats;
  if (__builtin_mul_overflow(R, H, &slab_count) || __builtin_mul_overflow(slab_count, (size_t)s->slabs, &per_row_floats)) return 0;
  float *state = ds_alloc(per_row_floats, sizeof(float));
  int32_t *source = ds_alloc(R, sizeof(int32_t));
  if (state == NULL || source == NULL) {
    free(state);
    free(source);
    return 0;
  }
  for (int64_t k = 0; k < s->slabs && s->state != NULL; k++) {
    memcpy(state + k * rows * m->H, s->state + k * s->cap * m->H, (size_t)(s->rows * m->H) * sizeof(float));
  }
  if (s->source != NULL) memcpy(source, s->source, (size_t)s->rows * sizeof(int32_t));
  free(s->state);
  free(s->source);
  s->state = state;
  s->source = source;
  void **ints[] = {(void **)&s->parent, (void **)&s->position, (void **)&s->unique, (void **)&s->mark, (void **)&s->source_next};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    free(*ints[i]);
    if ((*ints[i] = ds_alloc(R, sizeof(int32_t))) == NULL) return 0;
  }
  const size_t widths[] = {per_row_floats / R, E + H, GH, GH, H, 2 * H, H, H, E};
  float **floats[] = {&s->next, &s->input, &s->gates, &s->product, &s->distinct, &s->joined, &s->query, &s->attended, &s->projected};
  for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
    size_t count;
    free(*floats[i]);
    *floats[i] = NULL;
    if (__builtin_mul_overflow(R, widths[i], &count) || (*floats[i] = ds_alloc(count, sizeof(float))) == NULL) return 0;
  }
  free(s->act);
  if ((s->act = ds_alloc((size_t)(s->S > 0 ? s->S : 1), sizeof(float))) == NULL) return 0;
  s->cap = rows;
  return 1;
}

static void model_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  ds_model_box *box = data;
  for (int64_t i = 0; i < box->count; i++) {
    if (box->refs[i] != NULL) napi_delete_reference(env, box->refs[i]);
  }
  free(box->refs);
  free((void *)box->m.w);
  free(box->m.table);
  free(box);
}

void *ds_unwrap(napi_env env, napi_value value, uint32_t magic, const char *fn, const char *name) {
  void *data = NULL;
  napi_valuetype kind;
  if (napi_typeof(env, value, &kind) == napi_ok && kind == napi_external && napi_get_value_external(env, value, &data) == napi_ok &&
      data != NULL && *(uint32_t *)data == magic) {
    return data;
  }
  char message[200];
  snprintf(message, sizeof message, "@seqloom/native %s: %s must be a handle from %s", fn, name,
           magic == DS_MODEL_MAGIC ? "decodeStepModel" : "decodeStepSession");
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

/* Elements weight `index` must hold (0: must be absent). */
static int weight_size(napi_env env, const ds_model *m, int64_t index, size_t *out) {
  const char *fn = "decodeStepModel";
  const int64_t H = m->H, E = m->E, V = m->V, GH = m->gates * H, L = m->layers;
  if (index == DS_W_EMBEDDING) return ds_product3(env, fn, "embedding size", V, E, 1, out);
  if (index < DS_W_TAIL(L, 0)) {
    const int64_t l = (index - 1) / 4, k = (index - 1) % 4;
    const int64_t rows = k == 0 ? (l == 0 ? E + (m->feeding ? H : 0) : H) : k == 1 ? H : 1;
    return ds_product3(env, fn, "layer weight size", k == 3 && m->cell != DS_GRU ? 0 : rows, GH, 1, out);
  }
  const int64_t t = index - DS_W_TAIL(L, 0);
  const int general = m->attention == DS_GENERAL || m->attention == DS_BAHDANAU, bahdanau = m->attention == DS_BAHDANAU;
  const int64_t sizes[DS_TAIL_COUNT][3] = {
      {general ? H : 0, H, 1}, {bahdanau ? H : 0, H, 1}, {bahdanau ? H : 0, 1, 1}, {m->attention != DS_NONE ? 2 * H : 0, H, 1},
      {m->output == DS_UNTIED ? H : 0, V, 1}, {m->output == DS_TIED_PROJECTED ? H : 0, E, 1}, {V, 1, 1}};
  return ds_product3(env, fn, "weight size", sizes[t][0], sizes[t][1], sizes[t][2], out);
}

static int read_dims(napi_env env, napi_value value, ds_model *m) {
  const char *fn = "decodeStepModel";
  i32_view dims;
  if (!arg_i32(env, value, fn, "dims", &dims)) return 0;
  if (dims.length != 8) return ds_fail(env, fn, "dims must hold 8 values [cell, layers, E, H, V, attention, inputFeeding, output]");
  const int32_t *d = dims.data;
  if (d[0] < 0 || d[0] > 3) return ds_fail(env, fn, "dims[0] (cell) must be 0 lstm, 1 gru, 2 rnn (tanh) or 3 relu");
  if (d[1] < 1 || d[1] > 64) return ds_fail(env, fn, "dims[1] (layers) must be in [1, 64]");
  if (d[2] < 1 || d[2] > DS_MAX_DIM || d[3] < 1 || d[3] > DS_MAX_DIM || d[4] < 1 || d[4] > DS_MAX_DIM) {
    return ds_fail(env, fn, "dims[2..4] (embedding size, hidden size, vocabulary) must be in [1, 2^24]");
  }
  if (d[5] < 0 || d[5] > 3) return ds_fail(env, fn, "dims[5] (attention) must be 0 none, 1 dot, 2 general or 3 bahdanau");
  if (d[6] < 0 || d[6] > 1 || (d[6] == 1 && d[5] == 0)) return ds_fail(env, fn, "dims[6] (inputFeeding) must be 0, or 1 with attention");
  if (d[7] < 0 || d[7] > 2 || (d[7] == DS_TIED && d[2] != d[3])) {
    return ds_fail(env, fn, "dims[7] (output) must be 0 untied, 1 tied (embedding size = hidden size) or 2 tied with a projection");
  }
  m->cell = d[0];
  m->gates = d[0] == DS_LSTM ? 4 : d[0] == DS_GRU ? 3 : 1;
  m->layers = d[1], m->E = d[2], m->H = d[3], m->V = d[4];
  m->attention = d[5], m->feeding = d[6], m->output = d[7];
  return 1;
}

/* decodeStepModel(dims: Int32Array, weights: (Float32Array | null)[]) → handle */
napi_value decode_step_model(napi_env env, napi_callback_info info) {
  const char *fn = "decodeStepModel";
  napi_value argv[2], result;
  ds_model m = {0};
  bool is_array = false;
  uint32_t given = 0;
  if (!get_args(env, info, 2, argv, fn) || !read_dims(env, argv[0], &m)) return NULL;
  const int64_t count = DS_WEIGHT_COUNT(m.layers);
  if (napi_is_array(env, argv[1], &is_array) != napi_ok || !is_array || napi_get_array_length(env, argv[1], &given) != napi_ok ||
      given != (uint32_t)count) {
    char message[160];
    snprintf(message, sizeof message, "weights must be an array of %lld Float32Array or null entries", (long long)count);
    ds_fail(env, fn, message);
    return NULL;
  }
  ds_model_box *box = calloc(1, sizeof *box);
  const float **w = calloc((size_t)count, sizeof *w);
  napi_ref *refs = calloc((size_t)count, sizeof *refs);
  if (box == NULL || w == NULL || refs == NULL) {
    free(box), free(w), free(refs);
    napi_throw_error(env, NULL, "@seqloom/native decodeStepModel: out of memory");
    return NULL;
  }
  box->magic = DS_MODEL_MAGIC, box->m = m, box->m.w = w, box->refs = refs, box->count = count;
  for (int64_t i = 0; i < count; i++) {
    napi_value item;
    f32_view view;
    size_t need = 0;
    char name[40];
    snprintf(name, sizeof name, "weights[%lld]", (long long)i);
    if (napi_get_element(env, argv[1], (uint32_t)i, &item) != napi_ok || !arg_f32_or_null(env, item, fn, name, &view) ||
        !weight_size(env, &box->m, i, &need) || (need > 0 && !need_len(env, &view, need, fn, name))) {
      model_finalize(env, box, NULL);
      return NULL;
    }
    if (need > 0 && view.length != need) {
      char message[160];
      snprintf(message, sizeof message, "%s has %zu elements, the model's shape needs exactly %zu", name, view.length, need);
      ds_fail(env, fn, message);
      model_finalize(env, box, NULL);
      return NULL;
    }
    if (need == 0) continue; /* a weight this model does not use: ignored */
    w[i] = view.data;
    napi_create_reference(env, item, 1, &refs[i]);
  }
  if (napi_create_external(env, box, model_finalize, NULL, &result) != napi_ok) {
    model_finalize(env, box, NULL);
    return NULL;
  }
  return result;
}

