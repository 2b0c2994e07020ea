/* Pointwise loops (cell activations, their gradients, optimizer updates) on the
 * calling thread's configured threads (setThreads), where the build has OpenMP:
 * with two or more threads configured, a loop over enough elements is split
 * into equal static chunks, one per thread. Each iteration writes only its own
 * outputs, so the results are the same bits on any number of threads. */
#ifndef SEQLOOM_PARALLEL_H
#define SEQLOOM_PARALLEL_H

#include <stdint.h>

#include "signals.h"

/* Loops over fewer elements than this run on the calling thread alone (a
 * hand-off costs a few microseconds; this is about ten of work). */
#define SEQLOOM_PARALLEL_FROM 32768

/* The threads for a loop over `elements` elements: the calling thread's
 * configured count from SEQLOOM_PARALLEL_FROM elements on, else 1. */
int pointwise_threads(int64_t elements);

/* A loop on two or more threads runs between parallel_enter and parallel_leave:
 * they hold the asynchronous signals back on the calling thread (signals.h), as
 * every oneDNN product does, so the OpenMP threads created inside inherit the
 * blocked mask and no signal is ever handled on their stacks while oneDNN runs
 * on them later. On one thread no thread is created and nothing is held. */
static inline void parallel_enter(int threads, seqloom_signal_mask *saved) {
  if (threads > 1) seqloom_hold_signals(saved);
}
static inline void parallel_leave(int threads, const seqloom_signal_mask *saved) {
  if (threads > 1) seqloom_release_signals(saved);
}

#define SEQLOOM_PRAGMA(x) _Pragma(#x)
#ifdef _OPENMP
/* Put before a `for` loop whose iterations are independent. */
#define SEQLOOM_PARALLEL_FOR(threads) SEQLOOM_PRAGMA(omp parallel for num_threads(threads) schedule(static) if ((threads) > 1))
#else
#define SEQLOOM_PARALLEL_FOR(threads)
#endif

#endif
