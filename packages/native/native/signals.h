/* Asynchronous signals held back while oneDNN runs. Debian's oneDNN 2.6.3
 * sgemm keeps data on the stack below the stack pointer beyond the red zone:
 * a signal handled on the thread's own stack during the call (V8's sampling
 * profiler's SIGPROF under `node --cpu-prof`, libuv's SIGWINCH when a
 * terminal is resized, SIGCHLD, …) overwrites it, and the heap is corrupted
 * ("corrupted size vs. prev_size" from free inside dnnl_sgemm; a C loop of
 * dnnl_sgemm under a 100 µs SIGPROF timer reproduces it, and handlers on an
 * alternate stack do not). So each product, and each parallel region (whose
 * OpenMP threads inherit the mask when they are created), runs with the
 * asynchronous signals blocked on the calling thread; they are delivered when
 * the call returns. Synchronous signals (faults) stay unblocked. */
#ifndef SEQLOOM_SIGNALS_H
#define SEQLOOM_SIGNALS_H

#if defined(SEQLOOM_ONEDNN)
#include <signal.h>

/* A thread's signal mask, as seqloom_hold_signals saves it. */
typedef sigset_t seqloom_signal_mask;

/* Blocks the asynchronous signals on the calling thread, saving its mask in *saved. */
static inline void seqloom_hold_signals(seqloom_signal_mask *saved) {
  sigset_t held;
  sigfillset(&held);
  sigdelset(&held, SIGSEGV);
  sigdelset(&held, SIGBUS);
  sigdelset(&held, SIGFPE);
  sigdelset(&held, SIGILL);
  sigdelset(&held, SIGTRAP);
  sigdelset(&held, SIGABRT);
  pthread_sigmask(SIG_BLOCK, &held, saved);
}
/* Restores the mask seqloom_hold_signals saved (pending signals are delivered now). */
static inline void seqloom_release_signals(const seqloom_signal_mask *saved) { pthread_sigmask(SIG_SETMASK, saved, NULL); }
#else
/* Other GEMM libraries run with the signals as they are. */
typedef int seqloom_signal_mask;
static inline void seqloom_hold_signals(seqloom_signal_mask *saved) { (void)saved; }
static inline void seqloom_release_signals(const seqloom_signal_mask *saved) { (void)saved; }
#endif

#endif
