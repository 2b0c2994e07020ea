import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SeqloomError } from '@seqloom/core';
import { writeFileAtomicSync } from '@seqloom/core/node';
import * as tf from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** Options of {@link registerThreadedWasmBackend}. */
export interface ThreadedWasmOptions {
  /** Threads of the backend's XNNPACK thread pool, 1–4 (default: CPU cores, at most 4). */
  threads?: number;
}

/** Raised when the threaded wasm build cannot start here. */
export class ThreadedWasmError extends SeqloomError {
  override name = 'ThreadedWasmError';
}

/** The slice of the WebAssembly global used here (no DOM lib in this project). */
interface WasmGlobal {
  instantiate(binary: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
}

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: { unref(): void }[] };
}

function wasmOutDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
}

/**
 * The pthread worker script ships as a string inside the package; Node's
 * worker_threads need it as a file, so it is written once to the temp folder
 * (atomically: temp file, then rename).
 */
function workerScriptPath(dir: string): string {
  const { wasmWorkerContents } = require(join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  const contents = wasmWorkerContents.replace(/\n/g, '\\n');
  const version = (require('@tensorflow/tfjs-backend-wasm/package.json') as { version: string }).version;
  const path = join(tmpdir(), `seqloom-tfjs-wasm-${version}-worker.cjs`);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== contents) {
    writeFileAtomicSync(path, contents);
  }
  return path;
}

async function startModule(threads: number): Promise<EmscriptenModule> {
  const dir = wasmOutDir();
  const mainScript = join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const worker = workerScriptPath(dir);
  const factory = require(mainScript) as (config: object) => Promise<EmscriptenModule>;
  // The pool's workers are unref'd; keep the loop alive until they have loaded.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    return await factory({
      mainScriptUrlOrBlob: mainScript,
      locateFile: (file: string) => (file.endsWith('.worker.js') ? worker : join(dir, file)),
      instantiateWasm(info: { env: Record<string, unknown> }, receive: (instance: object, module: object) => void) {
        // The backend sizes its thread pool as logical cores / 2 (assuming
        // hyper-threading), which gives one thread on a 2-core machine.
        info.env['emscripten_num_logical_cores'] = () => 2 * threads;
        const binary = readFileSync(join(dir, 'tfjs-backend-wasm-threaded-simd.wasm'));
        const wasm = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly;
        void wasm.instantiate(binary, info).then((r) => receive(r.instance, r.module));
        return {};
      },
    });
  } finally {
    clearInterval(keepAlive);
  }
}

/**
 * Registers the multi-threaded SIMD build of the tfjs wasm backend under the
 * name `wasm`, so that `tf.setBackend('wasm')` gets an XNNPACK thread pool
 * (matMul and the other XNNPACK kernels then use several cores). The stock
 * package cannot start this build under Node (its pthread worker is a `blob:`
 * URL); this loads it from files instead. Call before `tf.setBackend('wasm')`.
 */
export async function registerThreadedWasmBackend(options: ThreadedWasmOptions = {}): Promise<void> {
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new ThreadedWasmError('registerThreadedWasmBackend: this Node.js has no SharedArrayBuffer; use Node 20 or newer.');
  }
  const cores = (await import('node:os')).availableParallelism();
  const threads = options.threads ?? Math.min(cores, 4);
  if (!Number.isInteger(threads) || threads < 1 || threads > 4) {
    throw new ThreadedWasmError(`registerThreadedWasmBackend: threads must be an integer 1–4, got ${threads}.`);
  }
  const module = (await startModule(threads)) as EmscriptenModule & { tfjs?: object };
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  if (tf.getBackend() === 'wasm') {
    throw new ThreadedWasmError("registerThreadedWasmBackend: the wasm backend is already running; call this before tf.setBackend('wasm').");
  }
  tf.removeBackend('wasm');
  // BackendWasm creates the pool with min(setThreadsCount, logical cores / 2)
  setThreadsCount(threads);
  tf.registerBackend(
    'wasm',
    () => {
      const backend = new BackendWasm(module as never);
      // pool threads wait for work forever; they must not keep Node from exiting
      for (const worker of module.PThread.runningWorkers) worker.unref();
      return backend;
    },
    2,
  );
  started = module;
}

let started: EmscriptenModule | undefined;

/**
 * Threads running XNNPACK kernels in the threaded wasm backend: the calling
 * thread plus one pthread per extra pool thread. 0 before the backend built by
 * {@link registerThreadedWasmBackend} has been initialised.
 */
export function threadedWasmThreads(): number {
  const running = started?.PThread.runningWorkers.length ?? 0;
  return running === 0 ? (tf.getBackend() === 'wasm' && started ? 1 : 0) : running + 1;
}
