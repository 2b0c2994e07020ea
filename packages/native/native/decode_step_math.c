/* The arithmetic of one fused decoder step (decode_step.h): recurrent layers on
 * parent rows, attention, output projection. Sizes were checked by the caller
 * (decode_step.c); every buffer here is the session's or the model's. */
#include "decode_step.h"

#include "alignment.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gemm.h"

/* e^x for the gate activations, in branch-free float code the compiler
 * vectorises: x = k·ln2 + r (|r| ≤ ln2/2, ln2 split in two for exactness),
 * e^r by its Taylor series to r⁷ (truncation < 1e-8), 2^k in the exponent. */
static inline float ds_exp(float x) {
  x = x > 88.0f ? 88.0f : x;
  x = x < -87.0f ? -87.0f : x;
  const float k = floorf(x * 1.44269504089f + 0.5f);
  const float r = (x - k * 0.693359375f) + k * 2.12194440e-4f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t bits = ((int32_t)k + 127) << 23;
  float two_k;
  memcpy(&two_k, &bits, sizeof two_k);
  return p * two_k;
}

static inline float ds_sigmoid(float x) { return 1.0f / (1.0f + ds_exp(-x)); }
static inline float ds_tanh(float x) { return 2.0f / (1.0f + ds_exp(-2.0f * x)) - 1.0f; }

static float *slab(const ds_session *s, float *base, int64_t k) { return base + k * s->cap * s->model->H; }
static int64_t per_layer(const ds_model *m) { return m->cell == DS_LSTM ? 2 : 1; }

/* rows [n, w] = the row vector v repeated. */
static void fill_rows(float *rows, const float *v, int64_t n, int64_t w) {
  for (int64_t i = 0; i < n; i++) memcpy(rows + i * w, v, (size_t)w * sizeof(float));
}

/* The distinct parents, ascending, in s->unique, and each row's index among
 * them in s->position; returns their count. */
static int64_t group_parents(ds_session *s, int64_t n, int64_t old) {
  int32_t *mark = s->mark;
  for (int64_t p = 0; p < old; p++) mark[p] = -1;
  for (int64_t i = 0; i < n; i++) mark[s->parent[i]] = 0;
  int64_t count = 0;
  for (int64_t p = 0; p < old; p++) {
    if (mark[p] == 0) {
      mark[p] = (int32_t)count;
      s->unique[count++] = (int32_t)p;
    }
  }
  for (int64_t i = 0; i < n; i++) s->position[i] = mark[s->parent[i]];
  return count;
}

/* Layer 0's projected input [n, G·H]: table rows, or [embedding; fed-back vector]·K₀ + b₀. */
static void layer0_gates(ds_session *s, const int32_t *ids, int64_t n) {
  const ds_model *m = s->model;
  const int64_t E = m->E, H = m->H, GH = m->gates * H;
  const float *kernel = m->w[DS_W_LAYER(0, 0)];
  const float *feed = m->feeding ? slab(s, s->state, m->layers * per_layer(m)) : NULL;
  if (m->table != NULL) {
    for (int64_t i = 0; i < n; i++) memcpy(s->gates + i * GH, m->table + (int64_t)ids[i] * GH, (size_t)GH * sizeof(float));
    if (feed == NULL) return;
    for (int64_t i = 0; i < n; i++) memcpy(s->input + i * H, feed + (int64_t)s->parent[i] * H, (size_t)H * sizeof(float));
    seqloom_sgemm(0, 0, n, GH, H, 1.0f, s->input, H, kernel + E * GH, GH, 1.0f, s->gates, GH);
    return;
  }
  const int64_t width = E + (feed != NULL ? H : 0);
  for (int64_t i = 0; i < n; i++) {
    memcpy(s->input + i * width, m->w[DS_W_EMBEDDING] + (int64_t)ids[i] * E, (size_t)E * sizeof(float));
    if (feed != NULL) memcpy(s->input + i * width + E, feed + (int64_t)s->parent[i] * H, (size_t)H * sizeof(float));
  }
  fill_rows(s->gates, m->w[DS_W_LAYER(0, 2)], n, GH);
  seqloom_sgemm(0, 0, n, GH, width, 1.0f, s->input, width, kernel, GH, 1.0f, s->gates, GH);
}

/* The pointwise step of row i: gates g (input part), recurrent product r, old h and c of its parent. */
static void cell_row(int cell, int64_t H, const float *restrict g, const float *restrict r, const float *restrict h,
                     const float *restrict c, float *restrict h_out, float *restrict c_out) {
  if (cell == DS_LSTM) {
    for (int64_t j = 0; j < H; j++) {
      const float i = ds_sigmoid(g[j] + r[j]), f = ds_sigmoid(g[H + j] + r[H + j]);
      const float u = ds_tanh(g[2 * H + j] + r[2 * H + j]), o = ds_sigmoid(g[3 * H + j] + r[3 * H + j]);
      const float cell_value = f * c[j] + i * u;
      c_out[j] = cell_value;
      h_out[j] = o * ds_tanh(cell_value);
    }
  } else if (cell == DS_GRU) {
    for (int64_t j = 0; j < H; j++) {
      const float reset = ds_sigmoid(g[j] + r[j]), update = ds_sigmoid(g[H + j] + r[H + j]);
      const float candidate = ds_tanh(g[2 * H + j] + reset * r[2 * H + j]);
      h_out[j] = candidate + update * (h[j] - candidate);
    }
  } else if (cell == DS_RNN) {
    for (int64_t j = 0; j < H; j++) h_out[j] = ds_tanh(g[j] + r[j]);
  } else {
    for (int64_t j = 0; j < H; j++) h_out[j] = g[j] + r[j] > 0.0f ? g[j] + r[j] : 0.0f;
  }
}

/* One recurrent layer: s->gates holds its projected input; the recurrent
 * product is taken once per distinct parent row and shared by its children. */
static void run_layer(ds_session *s, int64_t l, int64_t n, int64_t old, int64_t distinct) {
  const ds_model *m = s->model;
  const int64_t H = m->H, GH = m->gates * H, k = l * per_layer(m);
  const float *h_old = slab(s, s->state, k);
  const float *c_old = m->cell == DS_LSTM ? slab(s, s->state, k + 1) : NULL;
  float *h_new = slab(s, s->next, k);
  float *c_new = m->cell == DS_LSTM ? slab(s, s->next, k + 1) : NULL;
  const float *rows = h_old;
  if (distinct != old) {
    for (int64_t u = 0; u < distinct; u++) memcpy(s->distinct + u * H, h_old + (int64_t)s->unique[u] * H, (size_t)H * sizeof(float));
    rows = s->distinct;
  }
  const float *recurrent_bias = m->w[DS_W_LAYER(l, 3)];
  if (recurrent_bias != NULL) fill_rows(s->product, recurrent_bias, distinct, GH);
  seqloom_sgemm(0, 0, distinct, GH, H, 1.0f, rows, H, m->w[DS_W_LAYER(l, 1)], GH, recurrent_bias != NULL ? 1.0f : 0.0f,
                s->product, GH);
  for (int64_t i = 0; i < n; i++) {
    const int64_t p = s->parent[i];
    cell_row(m->cell, H, s->gates + i * GH, s->product + (int64_t)s->position[i] * GH, h_old + p * H,
             c_old != NULL ? c_old + p * H : NULL, h_new + i * H, c_new != NULL ? c_new + i * H : NULL);
  }
}

/* Attention weights of one row over its real source positions (0 past them) and
 * its joined row [context; query]. `qp` is the query · W₂ row (bahdanau). */
static void attend_row(const ds_session *s, int64_t r, const float *q, const float *qp, float *w, float *joined) {
  const ds_model *m = s->model;
  const int64_t H = m->H, S = s->S, b = s->source[r], len = s->lengths[b];
  const float *memory = s->memory + b * S * H;
  const float *keys = m->attention == DS_DOT ? memory : s->keys + b * S * H;
  const float *v = m->w[DS_W_TAIL(m->layers, DS_SCORE)];
  float max = -INFINITY;
  for (int64_t j = 0; j < len; j++) {
    const float *key = keys + j * H;
    float score = 0.0f;
    if (m->attention == DS_BAHDANAU) {
      for (int64_t k = 0; k < H; k++) score += v[k] * ds_tanh(key[k] + qp[k]);
    } else {
      for (int64_t k = 0; k < H; k++) score += key[k] * q[k];
    }
    w[j] = score;
    max = score > max ? score : max;
  }
  float sum = 0.0f;
  for (int64_t j = 0; j < len; j++) sum += (w[j] = expf(w[j] - max));
  for (int64_t j = 0; j < len; j++) w[j] /= sum;
  for (int64_t j = len; j < S; j++) w[j] = 0.0f;
  memset(joined, 0, (size_t)H * sizeof(float));
  for (int64_t j = 0; j < len; j++) {
    for (int64_t k = 0; k < H; k++) joined[k] += w[j] * memory[j * H + k];
  }
  memcpy(joined + H, q, (size_t)H * sizeof(float));
}

/* Attentional vectors tanh([context; top]·W_c) of the n rows into s->attended. */
static void attend(ds_session *s, const float *top, int64_t n, float *weights) {
  const ds_model *m = s->model;
  const int64_t H = m->H, S = s->S;
  if (m->attention == DS_BAHDANAU) {
    seqloom_sgemm(0, 0, n, H, H, 1.0f, top, H, m->w[DS_W_TAIL(m->layers, DS_QUERY_KERNEL)], H, 0.0f, s->query, H);
  }
  for (int64_t r = 0; r < n; r++) {
    float *w = weights != NULL ? weights + r * S : s->act;
    attend_row(s, r, top + r * H, s->query + r * H, w, s->joined + r * 2 * H);
  }
  seqloom_sgemm(0, 0, n, H, 2 * H, 1.0f, s->joined, 2 * H, m->w[DS_W_TAIL(m->layers, DS_COMBINE)], H, 0.0f, s->attended, H);
  for (int64_t i = 0; i < n * H; i++) s->attended[i] = tanhf(s->attended[i]);
}

/* logits [n, V] = x·K_out + b (tied: x·(P)·embeddingᵀ + b). */
static void project_output(ds_session *s, const float *x, int64_t n, float *logits) {
  const ds_model *m = s->model;
  const int64_t H = m->H, E = m->E, V = m->V;
  fill_rows(logits, m->w[DS_W_TAIL(m->layers, DS_OUT_BIAS)], n, V);
  if (m->output == DS_UNTIED) {
    seqloom_sgemm(0, 0, n, V, H, 1.0f, x, H, m->w[DS_W_TAIL(m->layers, DS_OUT_KERNEL)], V, 1.0f, logits, V);
    return;
  }
  if (m->output == DS_TIED_PROJECTED) {
    seqloom_sgemm(0, 0, n, E, H, 1.0f, x, H, m->w[DS_W_TAIL(m->layers, DS_TIE_PROJECTION)], E, 0.0f, s->projected, E);
    x = s->projected;
  }
  seqloom_sgemm(0, 1, n, V, E, 1.0f, x, E, m->w[DS_W_EMBEDDING], E, 1.0f, logits, V);
}

void ds_step(ds_session *s, const int32_t *ids, const int32_t *parent, int64_t n, float *logits, float *weights) {
  const ds_model *m = s->model;
  const int64_t H = m->H, GH = m->gates * H, old = s->rows;
  for (int64_t i = 0; i < n; i++) s->parent[i] = parent != NULL ? parent[i] : (int32_t)i;
  const int64_t distinct = group_parents(s, n, old);
  for (int64_t l = 0; l < m->layers; l++) {
    if (l == 0) {
      layer0_gates(s, ids, n);
    } else {
      fill_rows(s->gates, m->w[DS_W_LAYER(l, 2)], n, GH);
      seqloom_sgemm(0, 0, n, GH, H, 1.0f, slab(s, s->next, (l - 1) * per_layer(m)), H, m->w[DS_W_LAYER(l, 0)], GH, 1.0f,
                    s->gates, GH);
    }
    run_layer(s, l, n, old, distinct);
  }
  for (int64_t i = 0; i < n; i++) s->source_next[i] = s->source[s->parent[i]];
  int32_t *sources = s->source;
  s->source = s->source_next;
  s->source_next = sources;
  const float *x = slab(s, s->next, (m->layers - 1) * per_layer(m));
  if (m->attention != DS_NONE) {
    attend(s, x, n, weights);
    x = s->attended;
    if (m->feeding) memcpy(slab(s, s->next, m->layers * per_layer(m)), x, (size_t)(n * H) * sizeof(float));
  }
  project_output(s, x, n, logits);
  float *state = s->state;
  s->state = s->next;
  s->next = state;
  s->rows = n;
}

int ds_model_table(ds_model *m) {
  const int64_t GH = m->gates * m->H;
  m->table = alignment_alloc((size_t)(m->V * GH), sizeof(float));
  if (m->table == NULL) return 0;
  fill_rows(m->table, m->w[DS_W_LAYER(0, 2)], m->V, GH);
  seqloom_sgemm(0, 0, m->V, GH, m->E, 1.0f, m->w[DS_W_EMBEDDING], m->E, m->w[DS_W_LAYER(0, 0)], GH, 1.0f, m->table, GH);
  return 1;
}

int ds_session_keys(ds_session *s) {
  const ds_model *m = s->model;
  if (m->attention != DS_GENERAL && m->attention != DS_BAHDANAU) return 1;
  const int64_t H = m->H, rows = s->batch * s->S;
  s->keys = alignment_alloc((size_t)(rows * H), sizeof(float));
  if (s->keys == NULL) return 0;
  seqloom_sgemm(0, 0, rows, H, H, 1.0f, s->memory, H, m->w[DS_W_TAIL(m->layers, DS_MEMORY_KERNEL)], H, 0.0f, s->keys, H);
  return 1;
}
