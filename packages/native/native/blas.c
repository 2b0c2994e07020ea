/* sgemm on the GEMM library chosen at build time (gemm.h: oneDNN or OpenBLAS on
 * Linux, Accelerate on macOS), threads and a description of the library. */
#include "args.h"
#include "blas.h"
#include "parallel.h"
#include "sizes.h"

#include <stdio.h>
#include <string.h>

#ifdef SEQLOOM_ONEDNN
/* oneDNN (Debian's build: the OpenMP runtime) runs dnnl_sgemm on the calling
 * thread's OpenMP team; the build links libgomp (prototype here so that no
 * -fopenmp is needed). */
void omp_set_num_threads(int threads);
#endif

/* The thread settings are the calling thread's (setThreads in one worker
 * thread leaves every other thread's alone) and are applied at each product. */
static _Thread_local int configured_threads = 1; /* setThreads */
static _Thread_local double serial_below = 0;    /* products with fewer multiply-adds run on one thread */
#if defined(SEQLOOM_ONEDNN) || defined(__APPLE__)
/* omp_set_num_threads sets the calling thread's count: what this thread last told it */
static _Thread_local int running_threads = 0;
#else
/* openblas_set_num_threads sets one count for the process: what any thread last told it */
static _Atomic int running_threads = 0;
#endif

static void use_threads(int threads) {
  if (threads == running_threads) return;
#if defined(SEQLOOM_ONEDNN)
  omp_set_num_threads(threads);
#elif !defined(__APPLE__)
  openblas_set_num_threads(threads);
#endif
  running_threads = threads;
}

int pointwise_threads(int64_t elements) { return elements >= SEQLOOM_PARALLEL_FROM ? configured_threads : 1; }

void blas_threads_for(int64_t m, int64_t n, int64_t k) {
  use_threads((double)m * (double)n * (double)k < serial_below ? 1 : configured_threads);
}

/* *out = stride·(batch − 1) + rows·cols: the elements the batch of one operand spans. */
static int operand_span(napi_env env, const char *fn, const char *what, int64_t stride, int64_t batch, int64_t rows,
                        int64_t cols, int64_t *out) {
  int64_t last, one;
  return SIZE_OF(env, fn, what, &last, stride, batch - 1) && SIZE_OF(env, fn, what, &one, rows, cols) &&
         size_sum(env, fn, what, last, one, out);
}

/* sgemm(transA, transB, batch, m, n, k, alpha, a, strideA, b, strideB, beta, c)
 * For each of `batch` products: C_i = alpha·op(A_i)·op(B_i) + beta·C_i, row
 * major. op(A_i) is [m, k] (A_i stored [k, m] when transA), op(B_i) is [k, n]
 * (B_i stored [n, k] when transB), C_i is [m, n] at c + i·m·n. A_i starts at
 * a + i·strideA (strideA 0: one A broadcast over the batch), likewise B_i.
 * m, n, k are at most the GEMM's int; every span is checked before use. */
napi_value blas_sgemm(napi_env env, napi_callback_info info) {
  const char *fn = "sgemm";
  napi_value argv[13];
  if (!get_args(env, info, 13, argv, fn)) return NULL;
  int trans_a, trans_b;
  int64_t batch, m, n, k, stride_a, stride_b, need_a, need_b, need_c;
  float alpha, beta;
  f32_view a, b, c;
  const int64_t big = (int64_t)1 << 40, dim = SEQLOOM_GEMM_DIM_MAX;
  if (!arg_bool(env, argv[0], fn, "transA", &trans_a) || !arg_bool(env, argv[1], fn, "transB", &trans_b) ||
      !arg_int(env, argv[2], fn, "batch", 1, big, &batch) || !arg_int(env, argv[3], fn, "m", 0, dim, &m) ||
      !arg_int(env, argv[4], fn, "n", 0, dim, &n) || !arg_int(env, argv[5], fn, "k", 0, dim, &k) ||
      !arg_float(env, argv[6], fn, "alpha", &alpha) || !arg_f32(env, argv[7], fn, "a", &a) ||
      !arg_int(env, argv[8], fn, "strideA", 0, big, &stride_a) || !arg_f32(env, argv[9], fn, "b", &b) ||
      !arg_int(env, argv[10], fn, "strideB", 0, big, &stride_b) || !arg_float(env, argv[11], fn, "beta", &beta) ||
      !arg_f32(env, argv[12], fn, "c", &c)) {
    return NULL;
  }
  if (!operand_span(env, fn, "a (strideA·(batch − 1) + m·k)", stride_a, batch, m, k, &need_a) ||
      !operand_span(env, fn, "b (strideB·(batch − 1) + k·n)", stride_b, batch, k, n, &need_b) ||
      !SIZE_OF(env, fn, "c (batch·m·n)", &need_c, batch, m, n) || !need_size(env, &a, need_a, fn, "a") ||
      !need_size(env, &b, need_b, fn, "b") || !need_size(env, &c, need_c, fn, "c")) {
    return NULL;
  }
  if (m == 0 || n == 0) return NULL;
  const int64_t lda = trans_a ? m : k, ldb = trans_b ? k : n, mn = m * n; /* mn ≤ need_c: no overflow */
  for (int64_t i = 0; i < batch; i++) {
    float *ci = c.data + i * mn;
    if (k == 0) {
      for (int64_t j = 0; j < mn; j++) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
      continue;
    }
    seqloom_sgemm(trans_a, trans_b, m, n, k, alpha, a.data + i * stride_a, lda > 0 ? lda : 1, b.data + i * stride_b,
                  ldb > 0 ? ldb : 1, beta, ci, n);
  }
  return NULL;
}

/* setThreads(n, serialBelow): the calling thread's BLAS threads for its following
 * calls; products of fewer than serialBelow multiply-adds run on one thread. */
napi_value blas_set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int64_t threads, below;
  if (!get_args(env, info, 2, argv, "setThreads") || !arg_int(env, argv[0], "setThreads", "threads", 1, 256, &threads) ||
      !arg_int(env, argv[1], "setThreads", "serialBelow", 0, (int64_t)1 << 50, &below)) {
    return NULL;
  }
  configured_threads = (int)threads;
  serial_below = (double)below;
  return NULL;
}

static napi_value string_value(napi_env env, const char *text) {
  napi_value out;
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out);
  return out;
}

/* info(): { library, version, core, threads, config } */
napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, threads;
  napi_create_object(env, &out);
#if defined(SEQLOOM_ONEDNN)
  const dnnl_version_t *v = dnnl_version();
  char version[32], config[160];
  snprintf(version, sizeof version, "%d.%d.%d", v->major, v->minor, v->patch);
  const dnnl_cpu_isa_t isa = dnnl_get_effective_cpu_isa();
  const char *core = (isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core ? "AVX-512"
                     : (isa & dnnl_cpu_isa_avx512_mic) == dnnl_cpu_isa_avx512_mic ? "AVX-512 (MIC)"
                     : (isa & dnnl_cpu_isa_avx2) == dnnl_cpu_isa_avx2           ? "AVX2"
                     : (isa & dnnl_cpu_isa_avx) == dnnl_cpu_isa_avx             ? "AVX"
                     : (isa & dnnl_cpu_isa_sse41) == dnnl_cpu_isa_sse41         ? "SSE4.1"
                                                                                : "generic";
  snprintf(config, sizeof config, "oneDNN v%d.%d.%d (commit %s) dnnl_sgemm, CPU runtime %s, ISA 0x%x", v->major,
           v->minor, v->patch, v->hash != NULL ? v->hash : "?", v->cpu_runtime == DNNL_RUNTIME_OMP ? "OpenMP" : "other",
           (unsigned)isa);
  napi_set_named_property(env, out, "library", string_value(env, "oneDNN"));
  napi_set_named_property(env, out, "version", string_value(env, version));
  napi_set_named_property(env, out, "core", string_value(env, core));
  napi_set_named_property(env, out, "config", string_value(env, config));
  napi_create_int32(env, configured_threads, &threads);
#elif defined(__APPLE__)
  napi_set_named_property(env, out, "library", string_value(env, "Accelerate"));
  napi_set_named_property(env, out, "version", string_value(env, ""));
  napi_set_named_property(env, out, "core", string_value(env, "Apple"));
  napi_set_named_property(env, out, "config", string_value(env, "Accelerate"));
  napi_create_int32(env, 0, &threads);
#else
  const char *config = openblas_get_config();
  char version[32] = "";
  const char *found = strstr(config, "OpenBLAS ");
  if (found != NULL) sscanf(found + 9, "%31s", version);
  napi_set_named_property(env, out, "library", string_value(env, "OpenBLAS"));
  napi_set_named_property(env, out, "version", string_value(env, version));
  napi_set_named_property(env, out, "core", string_value(env, openblas_get_corename()));
  napi_set_named_property(env, out, "config", string_value(env, config));
  napi_create_int32(env, configured_threads, &threads);
#endif
  napi_set_named_property(env, out, "threads", threads);
  return out;
}
