/* The GEMM shared by the addon's files (gemm.h) and its threads. */
#ifndef SEQLOOM_BLAS_H
#define SEQLOOM_BLAS_H

#include <stdint.h>

#include "gemm.h"

/* Before a product of m·n·k multiply-adds: products below the serial threshold
 * (setThreads' second argument) run on one BLAS thread, the rest on the
 * configured threads. Splitting a small product costs more in hand-offs than it
 * saves (the recurrent step of a decoder is such a product). */
void blas_threads_for(int64_t m, int64_t n, int64_t k);

#endif
