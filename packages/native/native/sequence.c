/* A whole LSTM layer over a packed sequence in one call, forward and backward:
 * the per-step recurrent sgemm and the pointwise cell without a trip through
 * JavaScript per step. Packed layout (see seq2seq's packedLayout): rows sorted
 * by length, longest first; step t runs the active[t] leading rows, and the
 * packed rows of step t follow those of step t − 1 (P = Σ active[t] rows). */
#include "alignment.h"
#include "args.h"
#include "blas.h"
#include "cells.h"
#include "parallel.h"
#include "sizes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Checks `active` (non-increasing, each in [0, batch]) and returns P, or −1 after throwing. */
static int64_t packed_rows(napi_env env, const i32_view *active, int64_t batch, const char *fn) {
  int64_t total = 0, previous = batch;
  for (size_t t = 0; t < active->length; t++) {
    const int64_t n = active->data[t];
    if (n < 0 || n > previous) {
      char message[160];
      snprintf(message, sizeof message, "@seqloom/native %s: active must be non-increasing row counts in [0, batch]", fn);
      napi_throw_range_error(env, NULL, message);
      return -1;
    }
    previous = n;
    total += n;
  }
  return total;
}

/* The buffer sizes of a layer of P packed rows, B sequences and width H, each checked. */
typedef struct {
  int64_t wide, narrow, state, layer, u; /* P·4H, P·H, B·H, (P + 2B)·H, H·4H */
} layer_sizes;

static int sizes_of(napi_env env, const char *fn, int64_t P, int64_t B, int64_t H, layer_sizes *s) {
  int64_t rows;
  return SIZE_OF(env, fn, "P·4H (packed rows × gates)", &s->wide, P, 4, H) &&
         SIZE_OF(env, fn, "P·H (packed rows × hidden)", &s->narrow, P, H) &&
         SIZE_OF(env, fn, "B·H (batch × hidden)", &s->state, B, H) && SIZE_OF(env, fn, "2B", &rows, 2, B) &&
         size_sum(env, fn, "P + 2B", P, rows, &rows) &&
         SIZE_OF(env, fn, "(P + 2B)·H (the layer's rows)", &s->layer, rows, H) &&
         SIZE_OF(env, fn, "H·4H (recurrent weights)", &s->u, H, 4, H);
}

static void *scratch(napi_env env, size_t floats, const char *fn) {
  void *p = alignment_alloc(floats, sizeof(float)); /* 64-byte aligned: a GEMM operand */
  if (p == NULL) {
    char message[128];
    snprintf(message, sizeof message, "@seqloom/native %s: out of memory", fn);
    napi_throw_error(env, NULL, message);
  }
  return p;
}

/* Writes the final-state blocks of out (rows P..P+B: h, then c): a sorted row b's final
 * state is its state after the last step that runs it, or its initial state. */
static void write_finals(const i32_view *active, int64_t B, int64_t H, int64_t P, const float *h0, const float *c0,
                         const float *cs, float *out) {
  int64_t off = 0;
  for (size_t t = 0; t < active->length; t++) {
    const int64_t n = active->data[t];
    const int64_t later = t + 1 < active->length ? active->data[t + 1] : 0;
    for (int64_t b = later; b < n; b++) { /* rows that end at step t */
      memcpy(out + (P + b) * H, out + (off + b) * H, sizeof(float) * (size_t)H);
      memcpy(out + (P + B + b) * H, cs + (off + b) * H, sizeof(float) * (size_t)H);
    }
    off += n;
  }
  const int64_t ran = active->length > 0 ? active->data[0] : 0;
  for (int64_t b = ran; b < B; b++) { /* rows that never run */
    memcpy(out + (P + b) * H, h0 + b * H, sizeof(float) * (size_t)H);
    memcpy(out + (P + B + b) * H, c0 + b * H, sizeof(float) * (size_t)H);
  }
}

/* lstmSequence(batch, hidden, active, gates, h0, c0, u, out, cs, act, tanhC)
 * gates [P, 4H] projected inputs (biases included), h0, c0 [B, H] sorted, u [H, 4H].
 * Writes out [P + 2B, H] = [h of every packed row; final h; final c] and cs [P, H]
 * (c of every packed row); act [P, 4H] and tanhC [P, H] (what the backward needs)
 * when given, skipped when null. */
napi_value sequence_lstm(napi_env env, napi_callback_info info) {
  const char *fn = "lstmSequence";
  napi_value argv[11];
  int64_t B, H;
  i32_view active;
  f32_view gates, h0, c0, u, out, cs, act, tc;
  if (!get_args(env, info, 11, argv, fn) || !arg_int(env, argv[0], fn, "batch", 0, 1 << 30, &B) ||
      !arg_int(env, argv[1], fn, "hidden", 1, 1 << 24, &H) || !arg_i32(env, argv[2], fn, "active", &active) ||
      !arg_f32(env, argv[3], fn, "gates", &gates) || !arg_f32(env, argv[4], fn, "h0", &h0) ||
      !arg_f32(env, argv[5], fn, "c0", &c0) || !arg_f32(env, argv[6], fn, "u", &u) ||
      !arg_f32(env, argv[7], fn, "out", &out) || !arg_f32(env, argv[8], fn, "cs", &cs) ||
      !arg_f32_or_null(env, argv[9], fn, "act", &act) || !arg_f32_or_null(env, argv[10], fn, "tanhC", &tc)) {
    return NULL;
  }
  const int64_t P = packed_rows(env, &active, B, fn);
  layer_sizes sz;
  if (P < 0 || !sizes_of(env, fn, P, B, H, &sz)) return NULL;
  const int full = act.data != NULL && tc.data != NULL;
  if (!need_size(env, &gates, sz.wide, fn, "gates") || !need_size(env, &h0, sz.state, fn, "h0") ||
      !need_size(env, &c0, sz.state, fn, "c0") || !need_size(env, &u, sz.u, fn, "u") ||
      !need_size(env, &out, sz.layer, fn, "out") || !need_size(env, &cs, sz.narrow, fn, "cs") ||
      (full && (!need_size(env, &act, sz.wide, fn, "act") || !need_size(env, &tc, sz.narrow, fn, "tanhC")))) {
    return NULL;
  }
  const int64_t widest = active.length > 0 ? active.data[0] : 0;
  /* r: the recurrent product of one step; without `full`, scratch rows for the gates and tanh c' (one per row: rows run in parallel) */
  float *r = scratch(env, (size_t)(widest * 4 * H + (full ? 0 : widest * 5 * H)), fn);
  if (r == NULL) return NULL;
  float *row_scratch = r + widest * 4 * H;
  int64_t off = 0, prev = -1;
  for (size_t t = 0; t < active.length; t++) {
    const int64_t n = active.data[t];
    if (n == 0) continue;
    const float *h_in = prev < 0 ? h0.data : out.data + prev * H;
    const float *c_in = prev < 0 ? c0.data : cs.data + prev * H;
    seqloom_sgemm(0, 0, n, 4 * H, H, 1.0f, h_in, H, u.data, 4 * H, 0.0f, r, 4 * H);
    const int threads = pointwise_threads(n * 4 * H);
    seqloom_signal_mask saved;
    parallel_enter(threads, &saved);
    SEQLOOM_PARALLEL_FOR(threads)
    for (int64_t b = 0; b < n; b++) {
      const int64_t row = off + b;
      float *own = row_scratch + b * 5 * H;
      lstm_row(gates.data + row * 4 * H, r + b * 4 * H, c_in + b * H, out.data + row * H, cs.data + row * H,
               full ? act.data + row * 4 * H : own, full ? tc.data + row * H : own + 4 * H, H);
    }
    parallel_leave(threads, &saved);
    prev = off;
    off += n;
  }
  free(r);
  write_finals(&active, B, H, P, h0.data, c0.data, cs.data, out.data);
  return NULL;
}

/* The h that entered each step's recurrent product, packed like the steps: [P, H]. */
static void gather_inputs(const i32_view *active, int64_t H, const float *h0, const float *hs, float *h_in) {
  int64_t off = 0, prev = -1;
  for (size_t t = 0; t < active->length; t++) {
    const int64_t n = active->data[t];
    if (n == 0) continue;
    memcpy(h_in + off * H, prev < 0 ? h0 : hs + prev * H, sizeof(float) * (size_t)(n * H));
    prev = off;
    off += n;
  }
}

/* lstmSequenceGrad(batch, hidden, active, dy, act, tanhC, cs, hs, h0, c0, u, dG, dh0, dc0, dU)
 * The backward of lstmSequence: dy [P + 2B, H] the gradient of its `out`; act,
 * tanhC, cs, hs (its out) from the forward. Writes dG [P, 4H] (the gradient of
 * gates), dh0, dc0 [B, H] and dU [H, 4H] = Σ_t h_inᵀ·dG_t. */
napi_value sequence_lstm_grad(napi_env env, napi_callback_info info) {
  const char *fn = "lstmSequenceGrad";
  napi_value argv[15];
  int64_t B, H;
  i32_view active;
  f32_view dy, act, tc, cs, hs, h0, c0, u, dg, dh0, dc0, du;
  if (!get_args(env, info, 15, argv, fn) || !arg_int(env, argv[0], fn, "batch", 0, 1 << 30, &B) ||
      !arg_int(env, argv[1], fn, "hidden", 1, 1 << 24, &H) || !arg_i32(env, argv[2], fn, "active", &active) ||
      !arg_f32(env, argv[3], fn, "dy", &dy) || !arg_f32(env, argv[4], fn, "act", &act) ||
      !arg_f32(env, argv[5], fn, "tanhC", &tc) || !arg_f32(env, argv[6], fn, "cs", &cs) ||
      !arg_f32(env, argv[7], fn, "hs", &hs) || !arg_f32(env, argv[8], fn, "h0", &h0) ||
      !arg_f32(env, argv[9], fn, "c0", &c0) || !arg_f32(env, argv[10], fn, "u", &u) ||
      !arg_f32(env, argv[11], fn, "dG", &dg) || !arg_f32(env, argv[12], fn, "dh0", &dh0) ||
      !arg_f32(env, argv[13], fn, "dc0", &dc0) || !arg_f32(env, argv[14], fn, "dU", &du)) {
    return NULL;
  }
  const int64_t P = packed_rows(env, &active, B, fn);
  layer_sizes sz;
  /* P is the inner dimension of dU's product */
  if (P < 0 || !gemm_dim(env, fn, "the packed rows P (Σ active)", P) || !sizes_of(env, fn, P, B, H, &sz)) return NULL;
  if (!need_size(env, &dy, sz.layer, fn, "dy") || !need_size(env, &act, sz.wide, fn, "act") ||
      !need_size(env, &tc, sz.narrow, fn, "tanhC") || !need_size(env, &cs, sz.narrow, fn, "cs") ||
      !need_size(env, &hs, sz.narrow, fn, "hs") || !need_size(env, &h0, sz.state, fn, "h0") ||
      !need_size(env, &c0, sz.state, fn, "c0") || !need_size(env, &u, sz.u, fn, "u") ||
      !need_size(env, &dg, sz.wide, fn, "dG") || !need_size(env, &dh0, sz.state, fn, "dh0") ||
      !need_size(env, &dc0, sz.state, fn, "dc0") || !need_size(env, &du, sz.u, fn, "dU")) {
    return NULL;
  }
  const size_t narrow = (size_t)sz.narrow, state = (size_t)sz.state;
  const size_t steps = active.length;
  int64_t *offsets = (int64_t *)malloc(sizeof(int64_t) * (steps > 0 ? steps : 1));
  float *buffers = scratch(env, 3 * state + narrow, fn); /* dh carry, two dc carries, h_in */
  if (offsets == NULL || buffers == NULL) {
    free(offsets);
    free(buffers);
    if (offsets == NULL) napi_throw_error(env, NULL, "@seqloom/native lstmSequenceGrad: out of memory");
    return NULL;
  }
  for (size_t t = 0, off = 0; t < steps; off += (size_t)active.data[t], t++) offsets[t] = (int64_t)off;
  float *dh_next = buffers, *dc_next = buffers + state, *dc_prev = buffers + 2 * state, *h_in = buffers + 3 * state;
  const float *c_prev_of_first = c0.data;
  for (size_t k = steps; k-- > 0;) {
    const int64_t n = active.data[k];
    if (n == 0) continue;
    const int64_t off = offsets[k];
    const int64_t carried = k + 1 < steps ? active.data[k + 1] : 0;
    const float *c_prev = k == 0 ? c_prev_of_first : cs.data + offsets[k - 1] * H;
    const int threads = pointwise_threads(n * 4 * H);
    seqloom_signal_mask saved;
    parallel_enter(threads, &saved);
    SEQLOOM_PARALLEL_FOR(threads)
    for (int64_t b = 0; b < n; b++) {
      const int from_next = b < carried;
      lstm_grad_row(act.data + (off + b) * 4 * H, c_prev + b * H, tc.data + (off + b) * H, dy.data + (off + b) * H,
                    from_next ? dh_next + b * H : dy.data + (P + b) * H,
                    from_next ? dc_next + b * H : dy.data + (P + B + b) * H, dg.data + (off + b) * 4 * H,
                    dc_prev + b * H, H);
    }
    parallel_leave(threads, &saved);
    /* dh_prev = dG_t · Uᵀ, the carry into step t − 1 (its reads of dh_next are done) */
    seqloom_sgemm(0, 1, n, H, 4 * H, 1.0f, dg.data + off * 4 * H, 4 * H, u.data, 4 * H, 0.0f, dh_next, H);
    float *swap = dc_next;
    dc_next = dc_prev;
    dc_prev = swap;
  }
  /* rows that ran take the carry out of step 0; rows that never ran their final-state gradient */
  const int64_t ran = steps > 0 ? active.data[0] : 0;
  memcpy(dh0.data, dh_next, sizeof(float) * (size_t)(ran * H));
  memcpy(dc0.data, dc_next, sizeof(float) * (size_t)(ran * H));
  for (int64_t b = ran; b < B; b++) {
    memcpy(dh0.data + b * H, dy.data + (P + b) * H, sizeof(float) * (size_t)H);
    memcpy(dc0.data + b * H, dy.data + (P + B + b) * H, sizeof(float) * (size_t)H);
  }
  if (P == 0) {
    memset(du.data, 0, sizeof(float) * (size_t)(H * 4 * H));
  } else {
    gather_inputs(&active, H, h0.data, hs.data, h_in);
    seqloom_sgemm(1, 0, H, 4 * H, P, 1.0f, h_in, H, dg.data, 4 * H, 0.0f, du.data, 4 * H);
  }
  free(offsets);
  free(buffers);
  return NULL;
}
