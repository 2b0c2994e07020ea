import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { type BlasInfo, loadNativeAddon } from './addon.js';
import { makeBlockKernels } from './block-kernels.js';
import { PooledCpuBackend } from './buffer-pool.js';
import { makeCellKernels } from './cell-kernels.js';
import { makeBinaryKernels, makeUnaryKernels } from './elementwise-kernels.js';
import { makeLayoutKernels } from './layout-kernels.js';
import { makeMatMulKernel } from './mat-mul-kernels.js';
import { makeNllKernels } from './nll-kernels.js';
import { makeOptimizerKernels } from './optimizer-kernels.js';
import { makePadKernel } from './pad-kernel.js';
import { makeSegmentSumKernel } from './segment-sum-kernel.js';
import { makeSequenceKernels } from './sequence-kernels.js';

/** The tfjs backend name the engine registers. */
export const NATIVE_BACKEND = 'native';

/** Options of {@link registerNativeBackend}. */
export interface NativeBackendOptions {
  /** BLAS threads (default 1). */
  threads?: number;
}

let registered = false;

function registerKernels(): void {
  const addon = loadNativeAddon();
  const replaced = new Map<string, tf.KernelConfig>();
  const cpu = tf.getKernelsForBackend('cpu');
  for (const stock of cpu) {
    if (stock.kernelName === tf.BatchMatMul || stock.kernelName === tf._FusedMatMul) {
      replaced.set(stock.kernelName, makeMatMulKernel(stock.kernelName, addon, stock));
    } else if (stock.kernelName === tf.UnsortedSegmentSum) {
      replaced.set(stock.kernelName, makeSegmentSumKernel(addon, stock));
    } else if (tf.getKernel(stock.kernelName, NATIVE_BACKEND) === undefined) {
      tf.registerKernel({ ...stock, backendName: NATIVE_BACKEND });
    }
  }
  const stock = new Map(cpu.map((k) => [k.kernelName, k]));
  const ours = [
    ...replaced.values(),
    ...makeLayoutKernels(stock),
    makePadKernel(stock),
    ...makeBlockKernels(stock),
    ...makeBinaryKernels(addon, stock),
    ...makeUnaryKernels(addon, stock),
    ...makeCellKernels(addon),
    ...makeSequenceKernels(addon),
    ...makeOptimizerKernels(addon),
    ...makeNllKernels(addon),
  ];
  for (const kernel of ours) {
    if (tf.getKernel(kernel.kernelName, NATIVE_BACKEND) !== undefined) tf.unregisterKernel(kernel.kernelName, NATIVE_BACKEND);
    tf.registerKernel(kernel);
  }
}

/**
 * Registers the tfjs backend `native`: tfjs's cpu backend (MathBackendCPU)
 * with every cpu kernel, where `BatchMatMul` and `_FusedMatMul` run on the
 * addon's sgemm, `UnsortedSegmentSum`, `GatherV2`, `Transpose` and `Sum` copy
 * or add whole rows, `SplitV`, `Concat`, `Slice` and `Softmax` copy blocks or
 * rows along any axis, float32 `PadV2` copies rows, float32 `Add`/`Sub`/`Multiply`/`RealDiv` skip per-element
 * index maths for scalar, row and column broadcasts, float32 unary maths
 * (Sqrt, Square, Exp, Log, …) runs in C, and seqloom's fused cell kernels (`SeqloomLstmCell`,
 * `SeqloomLstmCellGrad`, `SeqloomGruCell`, `SeqloomRnnCell`), whole-layer LSTM
 * forward and backward (`SeqloomLstmSequence`, `SeqloomLstmSequenceGrad`) and fused optimizer
 * steps (`SeqloomAdamUpdate`, `SeqloomSumOfSquares`) and log-softmax + masked
 * NLL (`SeqloomMaskedNll`, `SeqloomMaskedNllGrad`) on the addon.
 * Loads the addon first (choosing the OpenBLAS core for this CPU); throws
 * NativeUnavailableError when it is not built. Idempotent; sets the BLAS
 * threads on every call. Then `tf.setBackend('native')`.
 */
export function registerNativeBackend(options: NativeBackendOptions = {}): void {
  setNativeThreads(options.threads ?? 1);
  if (registered) return;
  registerKernels();
  if (tf.findBackendFactory(NATIVE_BACKEND) === null) tf.registerBackend(NATIVE_BACKEND, createBackend, 0);
  registered = true;
}

/** The cpu backend the native kernels run on, with their output buffers pooled and 64-byte aligned. */
function createBackend(): MathBackendCPU {
  const addon = loadNativeAddon();
  return new PooledCpuBackend((values) => addon.alignmentOf(values));
}

/**
 * With several BLAS threads, products of fewer multiply-adds than this run on
 * one thread: handing a small product to a second thread costs more than it
 * saves. `SEQLOOM_BLAS_SERIAL_BELOW` overrides it (0: every product threaded).
 */
export const SERIAL_BELOW_DEFAULT = 0;

function serialBelow(): number {
  const given = process.env['SEQLOOM_BLAS_SERIAL_BELOW'];
  if (given === undefined || given === '') return SERIAL_BELOW_DEFAULT;
  const value = Number(given);
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`SEQLOOM_BLAS_SERIAL_BELOW must be a non-negative integer (multiply-adds), got "${given}"`);
  return value;
}

/** Sets the GEMM threads (openblas_set_num_threads, or omp_set_num_threads for oneDNN; a no-op on Accelerate). */
export function setNativeThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${String(threads)}`);
  loadNativeAddon().setThreads(threads, threads === 1 ? 0 : serialBelow());
}

/** The GEMM library the engine runs on (oneDNN, OpenBLAS, Accelerate): library, version, core and threads. */
export function nativeBlasInfo(): BlasInfo {
  return loadNativeAddon().info();
}

/** The engine as a log line, e.g. `native (oneDNN 2.6.3, AVX-512, 1 thread)`, `native (OpenBLAS 0.3.21, Haswell, 1 thread)`. */
export function describeNativeBackend(): string {
  const info = nativeBlasInfo();
  const library = info.version === '' ? info.library : `${info.library} ${info.version}`;
  const threads = info.threads <= 0 ? '' : `, ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  return `${NATIVE_BACKEND} (${library}, ${info.core}${threads})`;
}
