/* The one sgemm every file of the addon calls, on the library chosen at build
 * time (scripts/build.mjs): oneDNN's dnnl_sgemm when SEQLOOM_ONEDNN is defined,
 * else cblas_sgemm (OpenBLAS on Linux, Accelerate on macOS).
 *
 * seqloom_sgemm(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc):
 * C = alpha·op(A)·op(B) + beta·C, ROW-MAJOR, op(A) [m, k] (A stored [k, m] when
 * trans_a), op(B) [k, n] (B stored [n, k] when trans_b), C [m, n]; lda, ldb, ldc
 * are row strides (≥ 1), each at most SEQLOOM_GEMM_DIM_MAX (callers check them with
 * gemm_dim or arg_int: cblas takes int). dnnl_sgemm is row-major with the same arguments as
 * cblas_sgemm(CblasRowMajor, …), so both map one to one. */
#ifndef SEQLOOM_GEMM_H
#define SEQLOOM_GEMM_H

#include <stdint.h>

#include "signals.h"

#if defined(SEQLOOM_ONEDNN)
#include <dnnl.h>
#elif defined(__APPLE__)
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

/* Applies the calling thread's GEMM thread count (setThreads, blas.c) to a product of
 * m·n·k multiply-adds: every seqloom_sgemm runs it first, so each product runs on the
 * threads its own thread asked for. */
void blas_threads_for(int64_t m, int64_t n, int64_t k);

static inline void seqloom_sgemm(int trans_a, int trans_b, int64_t m, int64_t n, int64_t k, float alpha,
                                 const float *a, int64_t lda, const float *b, int64_t ldb, float beta, float *c,
                                 int64_t ldc) {
  blas_threads_for(m, n, k);
#if defined(SEQLOOM_ONEDNN)
  seqloom_signal_mask saved; /* signals.h: no signal may be handled on this stack during the call */
  seqloom_hold_signals(&saved);
  dnnl_sgemm(trans_a ? 'T' : 'N', trans_b ? 'T' : 'N', (dnnl_dim_t)m, (dnnl_dim_t)n, (dnnl_dim_t)k, alpha, a,
             (dnnl_dim_t)lda, b, (dnnl_dim_t)ldb, beta, c, (dnnl_dim_t)ldc);
  seqloom_release_signals(&saved);
#else
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n,
              (int)k, alpha, a, (int)lda, b, (int)ldb, beta, c, (int)ldc);
#endif
}

#endif
