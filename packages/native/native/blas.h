/* The GEMM shared by the addon's files (gemm.h) and its threads. */
#ifndef SEQLOOM_BLAS_H
#define SEQLOOM_BLAS_H

#include <stdint.h>

#include "gemm.h"

/* blas_threads_for (declared in gemm.h, run by every seqloom_sgemm): products
 * below the serial threshold (setThreads' second argument) run on one BLAS
 * thread, the rest on the calling thread's configured threads. Splitting a small
 * product costs more in hand-offs than it saves (the recurrent step of a decoder
 * is such a product). */

#endif
