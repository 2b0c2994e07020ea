import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from './backend-error.js';
import { kernelSetFor, selectKernelSet } from './kernels/kernel-registry.js';
import { registerThreadedWasmBackend, threadedWasmThreads } from './kernels/threaded-wasm.js';
import { describeNativeEngine, prepareNativeBackend, reportNativeFallback } from './native-backend.js';

/** Backends seqloom can run on; `auto` picks the fastest one available. */
export type BackendChoice = 'auto' | 'tensorflow' | 'native' | 'wasm' | 'cpu';

export { BackendUnavailableError } from './backend-error.js';

const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu', 'native'] as const;

// Kept in a variable so bundlers and tsc do not try to resolve the optional peer.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function loadNative(): Promise<string | undefined> {
  try {
    await import(TFJS_NODE);
  } catch (error) {
    return `cannot import ${TFJS_NODE} (${(error as Error).message.split('\n')[0]})`;
  }
  if (tf.findBackendFactory('tensorflow') === null) {
    return `${TFJS_NODE} loaded but registered no "tensorflow" backend (is it the same @tensorflow/tfjs-core version as @tensorflow/tfjs 4.22?)`;
  }
  return undefined;
}

async function loadWasm(): Promise<string | undefined> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    return undefined;
  } catch (error) {
    return `cannot import @tensorflow/tfjs-backend-wasm (${(error as Error).message})`;
  }
}

/** Options of {@link setBackend}. */
export interface BackendOptions {
  /**
   * Threads running the wasm backend's matMul and other XNNPACK kernels, 1–4
   * (default 1: the single-threaded SIMD build). More than 1 starts the
   * threaded build; it speeds up large models when the cores are otherwise
   * idle and slows everything down on a busy machine (each kernel waits for
   * every thread). Chosen once per process. Ignored by `tensorflow` (native
   * TensorFlow sizes its own thread pool); `cpu` accepts only 1.
   */
  threads?: number;
}

/** Threads the running wasm backend was started with (0: not started by seqloom yet). */
let wasmThreads = 0;

/** Whether the wasm backend has been initialised (without initialising it, as tf.findBackend would). */
function wasmInitialised(): boolean {
  return 'wasm' in (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
}

/** Checks `threads` and, for more than one, installs the threaded wasm build (once). */
async function prepareWasmThreads(threads: number): Promise<string | undefined> {
  if (wasmThreads !== 0 || wasmInitialised()) {
    const running = wasmThreads !== 0 ? wasmThreads : Math.max(1, threadedWasmThreads());
    if (running === threads) return undefined;
    return `the wasm backend is already running with ${running} thread(s); threads can be chosen once per process, before the first model runs`;
  }
  if (threads > 1) {
    try {
      await registerThreadedWasmBackend({ threads });
    } catch (error) {
      return `its threaded build could not start (${(error as Error).message})`;
    }
  }
  return undefined;
}

async function activate(name: 'tensorflow' | 'native' | 'wasm' | 'cpu', threads = 1): Promise<string | undefined> {
  const loadError =
    name === 'tensorflow' ? await loadNative() : name === 'wasm' ? await loadWasm() : name === 'native' ? await prepareNativeBackend(threads) : undefined;
  if (loadError !== undefined) return loadError;
  if (name === 'wasm') {
    const threadError = await prepareWasmThreads(threads);
    if (threadError !== undefined) return threadError;
  }
  // the backend's own kernels (wasm: fused cells, UnsortedSegmentSum, faster stock replacements)
  kernelSetFor(name).install?.();
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') failed to initialise`;
    await tf.ready();
    if (name === 'wasm') wasmThreads = threads;
    selectKernelSet(name);
    return undefined;
  } catch (error) {
    return `tf.setBackend('${name}') failed: ${(error as Error).message}`;
  }
}

/**
 * Selects the TensorFlow.js backend, registers seqloom's kernels on it and
 * chooses the kernel set that models created afterwards run on (see
 * `registerKernelSet` in `@seqloom/seq2seq/kernels`; the reference set for a
 * backend with none).
 *
 * `auto` tries `tensorflow` (the optional peer `@tensorflow/tfjs-node`), then
 * `native` (the optional `@seqloom/native` engine on the system BLAS; `threads`
 * are its BLAS threads), then `wasm`, then `cpu`. A named backend that cannot start throws
 * {@link BackendUnavailableError} saying why. Returns the chosen backend's name
 * (callers log it; {@link describeBackend} adds the thread count).
 */
export async function setBackend(name: BackendChoice = 'auto', options: BackendOptions = {}): Promise<string> {
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new BackendUnavailableError(`Unknown backend "${String(name)}": expected one of ${BACKENDS.join(', ')}.`);
  }
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 4) {
    throw new BackendUnavailableError(`threads must be an integer from 1 to 4, got ${String(options.threads)}.`);
  }
  if (name === 'cpu' && threads > 1) {
    throw new BackendUnavailableError(`threads ${threads}: the cpu backend runs on one thread; use the wasm backend for more.`);
  }
  if (name !== 'auto') {
    const error = await activate(name, threads);
    if (error !== undefined) {
      const hint = name === 'tensorflow' ? ` Install it with \`pnpm add ${TFJS_NODE}@4.22.0\`, or pick --backend wasm.` : '';
      throw new BackendUnavailableError(`Backend "${name}" is unavailable: ${error}.${hint}`);
    }
    return name;
  }
  const reasons: string[] = [];
  for (const candidate of ['tensorflow', 'native', 'wasm', 'cpu'] as const) {
    const error = await activate(candidate, candidate === 'cpu' ? 1 : threads);
    if (error === undefined) {
      if (candidate === 'wasm' || candidate === 'cpu') reportNativeFallback(candidate);
      return candidate;
    }
    reasons.push(`${candidate}: ${error}`);
  }
  throw new BackendUnavailableError(`No TensorFlow.js backend could start: ${reasons.join('; ')}.`);
}

/**
 * The active backend as a log line: its name, plus the thread count for
 * wasm (e.g. `wasm (2 threads)`).
 */
export function describeBackend(): string {
  const name = tf.getBackend();
  if (name === 'native') return describeNativeEngine();
  if (name !== 'wasm') return name;
  const threads = Math.max(1, threadedWasmThreads());
  return threads === 1 ? 'wasm (1 thread)' : `wasm (${threads} threads)`;
}
