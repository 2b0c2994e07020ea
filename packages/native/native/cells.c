/* Pointwise parts of recurrent cell steps, forward and backward, on row-major
 * float32 buffers the caller owns (tfjs tensor data). Gate layouts match
 * seqloom's fused weights: LSTM [i, f, g, o], GRU [r, z, n] (PyTorch order). */
#include "alignment.h"
#include "args.h"
#include "cells.h"
#include "sizes.h"

#include <math.h>
#include <stdlib.h>

#include <stdint.h>
#include <string.h>

/* e^x in straight-line float code the compiler vectorises (no libm call):
 * x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial (relative
 * error ~2e-7), 2^n built in the exponent bits. Clamped to ±87.3 (the float
 * range), NaN propagates through the polynomial. */
static inline float exp_approx(float x) {
  x = x < -87.3f ? -87.3f : x;
  x = x > 87.3f ? 87.3f : x;
  const float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f; /* round to nearest: 1.5·2^23 */
  const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  int32_t bits = ((int32_t)n + 127) << 23;
  float scale;
  memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

static inline float sigmoid(float x) { return 1.0f / (1.0f + exp_approx(-x)); }
static inline float tanh_fast(float x) { return 2.0f / (1.0f + exp_approx(-2.0f * x)) - 1.0f; }

/* One row of an LSTM step in three passes the compiler vectorises: gate
 * pre-activations, activations, then c' and h'. */
void lstm_row(const float *restrict x, const float *restrict r, const float *restrict c, float *restrict h,
                     float *restrict c_next, float *restrict act, float *restrict tanh_c, int64_t H) {
  for (int64_t j = 0; j < 4 * H; j++) act[j] = x[j] + r[j];
  for (int64_t j = 0; j < 2 * H; j++) act[j] = sigmoid(act[j]);
  for (int64_t j = 2 * H; j < 3 * H; j++) act[j] = tanh_fast(act[j]);
  for (int64_t j = 3 * H; j < 4 * H; j++) act[j] = sigmoid(act[j]);
  for (int64_t j = 0; j < H; j++) {
    const float value = act[H + j] * c[j] + act[j] * act[2 * H + j];
    const float t = tanh_fast(value);
    c_next[j] = value;
    tanh_c[j] = t;
    h[j] = act[3 * H + j] * t;
  }
}

/* lstmCell(rows, hidden, x, r, c, h, cNext, act, tanhC)
 * x, r: [rows, 4H] projected input and recurrent product (biases included);
 * c: [rows, H]. Writes h' = σo·tanh c', c' = σf·c + σi·tanh g into h, cNext
 * ([rows, H]); act ([rows, 4H], activated gates [σi, σf, tanh g, σo]) and
 * tanhC ([rows, H]) are written when they are Float32Arrays, skipped when null. */
napi_value cell_lstm(napi_env env, napi_callback_info info) {
  const char *fn = "lstmCell";
  napi_value argv[9];
  int64_t rows, hidden;
  f32_view x, r, c, h, cn, act = {0, 0}, tc = {0, 0};
  if (!get_args(env, info, 9, argv, fn) || !arg_int(env, argv[0], fn, "rows", 0, 1 << 30, &rows) ||
      !arg_int(env, argv[1], fn, "hidden", 1, 1 << 24, &hidden) || !arg_f32(env, argv[2], fn, "x", &x) ||
      !arg_f32(env, argv[3], fn, "r", &r) || !arg_f32(env, argv[4], fn, "c", &c) ||
      !arg_f32(env, argv[5], fn, "h", &h) || !arg_f32(env, argv[6], fn, "cNext", &cn)) {
    return NULL;
  }
  napi_valuetype kind;
  napi_typeof(env, argv[7], &kind);
  int full = kind != napi_null && kind != napi_undefined;
  if (full && (!arg_f32(env, argv[7], fn, "act", &act) || !arg_f32(env, argv[8], fn, "tanhC", &tc))) return NULL;
  int64_t wide, narrow;
  if (!SIZE_OF(env, fn, "rows·4H", &wide, rows, 4, hidden) || !SIZE_OF(env, fn, "rows·H", &narrow, rows, hidden) ||
      !need_size(env, &x, wide, fn, "x") || !need_size(env, &r, wide, fn, "r") || !need_size(env, &c, narrow, fn, "c") ||
      !need_size(env, &h, narrow, fn, "h") || !need_size(env, &cn, narrow, fn, "cNext") ||
      (full && (!need_size(env, &act, wide, fn, "act") || !need_size(env, &tc, narrow, fn, "tanhC")))) {
    return NULL;
  }
  const int64_t H = hidden;
  /* without `full`, the gates and tanh c' go to a scratch row */
  float *scratch = full ? NULL : (float *)alignment_alloc((size_t)(5 * H), sizeof(float));
  if (!full && scratch == NULL) {
    napi_throw_error(env, NULL, "@seqloom/native lstmCell: out of memory");
    return NULL;
  }
  for (int64_t b = 0; b < rows; b++) {
    lstm_row(x.data + b * 4 * H, r.data + b * 4 * H, c.data + b * H, h.data + b * H, cn.data + b * H,
             full ? act.data + b * 4 * H : scratch, full ? tc.data + b * H : scratch + 4 * H, H);
  }
  free(scratch);
  return NULL;
}

void lstm_grad_row(const float *restrict a, const float *restrict c_prev, const float *restrict tanh_c,
                          const float *restrict dh_out, const float *restrict dh_carry, const float *restrict dc_carry,
                          float *restrict dg, float *restrict dc_prev, int64_t H) {
  for (int64_t j = 0; j < H; j++) {
    const float i = a[j], f = a[H + j], g = a[2 * H + j], o = a[3 * H + j], t = tanh_c[j];
    const float dh = dh_out[j] + dh_carry[j];
    const float dc = dc_carry[j] + dh * o * (1.0f - t * t);
    dg[j] = dc * g * i * (1.0f - i);
    dg[H + j] = dc * c_prev[j] * f * (1.0f - f);
    dg[2 * H + j] = dc * i * (1.0f - g * g);
    dg[3 * H + j] = dh * t * o * (1.0f - o);
    dc_prev[j] = dc * f;
  }
}

/* lstmCellGrad(rows, hidden, outRow, finalRow, carried, act, cPrev, tanhC, dy, dhNext, dcNext, dG, dcPrev)
 * One backward step over the `rows` rows still running. act [rows, 4H],
 * cPrev and tanhC (first rows of [*, H]); dy: the layer gradient [D, H]
 * whose rows are this step's h gradients from `outRow`, and from `finalRow`
 * the final-h block then the final-c block (F = (D − finalRow)/2 rows each);
 * rows [0, carried) take dh/dc from dhNext/dcNext ([≥carried, H]), the rest
 * from the finals. Writes dG [rows, 4H] (gate pre-activation gradients) and
 * dcPrev [rows, H] = dc ⊙ σf. */
napi_value cell_lstm_grad(napi_env env, napi_callback_info info) {
  const char *fn = "lstmCellGrad";
  napi_value argv[13];
  int64_t rows, hidden, out_row, final_row, carried;
  f32_view a, cp, tc, dy, dhn, dcn, dg, dcp;
  if (!get_args(env, info, 13, argv, fn) || !arg_int(env, argv[0], fn, "rows", 0, 1 << 30, &rows) ||
      !arg_int(env, argv[1], fn, "hidden", 1, 1 << 24, &hidden) ||
      !arg_int(env, argv[2], fn, "outRow", 0, 1 << 30, &out_row) ||
      !arg_int(env, argv[3], fn, "finalRow", 0, 1 << 30, &final_row) ||
      !arg_int(env, argv[4], fn, "carried", 0, rows, &carried) || !arg_f32(env, argv[5], fn, "act", &a) ||
      !arg_f32(env, argv[6], fn, "cPrev", &cp) || !arg_f32(env, argv[7], fn, "tanhC", &tc) ||
      !arg_f32(env, argv[8], fn, "dy", &dy) || !arg_f32(env, argv[9], fn, "dhNext", &dhn) ||
      !arg_f32(env, argv[10], fn, "dcNext", &dcn) || !arg_f32(env, argv[11], fn, "dG", &dg) ||
      !arg_f32(env, argv[12], fn, "dcPrev", &dcp)) {
    return NULL;
  }
  const int64_t H = hidden;
  const int64_t dy_rows = (int64_t)(dy.length / (size_t)H);
  /* a finalRow past dy's rows leaves no final block: the check of dy's final rows then fails */
  const int64_t finals = final_row > dy_rows ? 0 : (dy_rows - final_row) / 2;
  int64_t wide, narrow, out_end, final_end, carry;
  if (!SIZE_OF(env, fn, "rows·4H", &wide, rows, 4, H) || !SIZE_OF(env, fn, "rows·H", &narrow, rows, H) ||
      !size_sum(env, fn, "outRow + rows", out_row, rows, &out_end) || !SIZE_OF(env, fn, "(outRow + rows)·H", &out_end, out_end, H) ||
      !size_sum(env, fn, "finalRow + finals + rows", final_row + finals, rows, &final_end) ||
      !SIZE_OF(env, fn, "(finalRow + finals + rows)·H", &final_end, final_end, H) ||
      !SIZE_OF(env, fn, "carried·H", &carry, carried, H)) {
    return NULL;
  }
  if (!need_size(env, &a, wide, fn, "act") || !need_size(env, &cp, narrow, fn, "cPrev") ||
      !need_size(env, &tc, narrow, fn, "tanhC") || !need_size(env, &dy, out_end, fn, "dy") ||
      !need_size(env, &dy, final_end, fn, "dy (final rows)") || !need_size(env, &dhn, carry, fn, "dhNext") ||
      !need_size(env, &dcn, carry, fn, "dcNext") || !need_size(env, &dg, wide, fn, "dG") ||
      !need_size(env, &dcp, narrow, fn, "dcPrev")) {
    return NULL;
  }
  for (int64_t b = 0; b < rows; b++) {
    const int from_next = b < carried;
    lstm_grad_row(a.data + b * 4 * H, cp.data + b * H, tc.data + b * H, dy.data + (out_row + b) * H,
                  from_next ? dhn.data + b * H : dy.data + (final_row + b) * H,
                  from_next ? dcn.data + b * H : dy.data + (final_row + finals + b) * H, dg.data + b * 4 * H,
                  dcp.data + b * H, H);
  }
  return NULL;
}

/* gruCell(rows, hidden, x, r, h, out): x, r [rows, 3H] (r includes its bias),
 * h [rows, H]. out = n + z·(h − n), n = tanh(x_n + σ(x_r + r_r)·r_n), z = σ(x_z + r_z). */
napi_value cell_gru(napi_env env, napi_callback_info info) {
  const char *fn = "gruCell";
  napi_value argv[6];
  int64_t rows, hidden;
  f32_view x, r, h, out;
  if (!get_args(env, info, 6, argv, fn) || !arg_int(env, argv[0], fn, "rows", 0, 1 << 30, &rows) ||
      !arg_int(env, argv[1], fn, "hidden", 1, 1 << 24, &hidden) || !arg_f32(env, argv[2], fn, "x", &x) ||
      !arg_f32(env, argv[3], fn, "r", &r) || !arg_f32(env, argv[4], fn, "h", &h) || !arg_f32(env, argv[5], fn, "out", &out)) {
    return NULL;
  }
  const int64_t H = hidden;
  int64_t wide, narrow;
  if (!SIZE_OF(env, fn, "rows·3H", &wide, rows, 3, H) || !SIZE_OF(env, fn, "rows·H", &narrow, rows, H) ||
      !need_size(env, &x, wide, fn, "x") || !need_size(env, &r, wide, fn, "r") || !need_size(env, &h, narrow, fn, "h") ||
      !need_size(env, &out, narrow, fn, "out")) {
    return NULL;
  }
  for (int64_t b = 0; b < rows; b++) {
    const float *xb = x.data + b * 3 * H, *rb = r.data + b * 3 * H, *hb = h.data + b * H;
    float *ob = out.data + b * H;
    for (int64_t j = 0; j < H; j++) {
      const float reset = sigmoid(xb[j] + rb[j]);
      const float update = sigmoid(xb[H + j] + rb[H + j]);
      const float n = tanh_fast(xb[2 * H + j] + reset * rb[2 * H + j]);
      ob[j] = n + update * (hb[j] - n);
    }
  }
  return NULL;
}

/* rnnCell(count, x, r, out): out = tanh(x + r) over `count` elements. */
napi_value cell_rnn(napi_env env, napi_callback_info info) {
  const char *fn = "rnnCell";
  napi_value argv[4];
  int64_t count;
  f32_view x, r, out;
  if (!get_args(env, info, 4, argv, fn) || !arg_int(env, argv[0], fn, "count", 0, (int64_t)1 << 40, &count) ||
      !arg_f32(env, argv[1], fn, "x", &x) || !arg_f32(env, argv[2], fn, "r", &r) || !arg_f32(env, argv[3], fn, "out", &out)) {
    return NULL;
  }
  if (!need_len(env, &x, (size_t)count, fn, "x") || !need_len(env, &r, (size_t)count, fn, "r") ||
      !need_len(env, &out, (size_t)count, fn, "out")) {
    return NULL;
  }
  for (int64_t k = 0; k < count; k++) out.data[k] = tanh_fast(x.data[k] + r.data[k]);
  return NULL;
}
