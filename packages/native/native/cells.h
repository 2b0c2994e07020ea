/* Row functions of the LSTM step shared by the per-step kernels (cells.c) and
 * the whole-layer kernels (sequence.c). Gates [i, f, g, o]. */
#ifndef SEQLOOM_CELLS_H
#define SEQLOOM_CELLS_H

#include <stdint.h>

/* One row forward: act = activated gates of x + r ([4H]), c_next = σf·c + σi·tanh g,
 * tanh_c = tanh c_next, h = σo·tanh_c. */
void lstm_row(const float *restrict x, const float *restrict r, const float *restrict c, float *restrict h,
              float *restrict c_next, float *restrict act, float *restrict tanh_c, int64_t H);

/* One row backward: from the activated gates, c_prev, tanh c and the h/c gradients
 * (dh = dh_out + dh_carry), writes dg ([4H], gate pre-activation gradients) and dc_prev. */
void lstm_grad_row(const float *restrict a, const float *restrict c_prev, const float *restrict tanh_c,
                   const float *restrict dh_out, const float *restrict dh_carry, const float *restrict dc_carry,
                   float *restrict dg, float *restrict dc_prev, int64_t H);

#endif
