import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { type Transferable, Worker } from 'node:worker_threads';
import { SeqloomError } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import type { WeightMessage } from './pool-messages.js';

/** A pool worker could not start, failed, or was used after close(). */
export class WorkerPoolError extends SeqloomError {
  override name = 'WorkerPoolError';
}

/** Every reply of a pool worker: the answer to request `id`, or a failure (id null: of the init message). */
export type WorkerReply<T> = { type: 'ready' } | { type: 'done'; id: number; value: T } | { type: 'error'; id: number | null; message: string };

/** Starts a worker script of this folder: the compiled .js beside this file, or the .ts source under tsx. */
function startWorker(name: string): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(script);
  // Running from TypeScript sources (tests, the monorepo's CLI): load the worker through tsx.
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  const tsx = resolve ? resolve('tsx/esm/api') : pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(code, { eval: true, execArgv: ['--conditions=source'] });
}

/**
 * One worker thread answering numbered requests. Idle workers are unref'd so
 * they never keep Node from exiting; a crash rejects every pending request.
 */
export class WorkerThread<Request extends object, Reply> {
  private readonly pending = new Map<number, { resolve(value: Reply): void; reject(error: Error): void }>();
  private nextId = 0;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerReply<Reply>) => {
      if (message.type === 'ready' || message.id === null) return;
      const request = this.pending.get(message.id);
      if (request === undefined) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.type === 'done') request.resolve(message.value);
      else request.reject(new WorkerPoolError(`a worker thread failed: ${message.message}`));
    });
    worker.on('error', (error) => this.fail(new WorkerPoolError(`a worker thread crashed: ${error.message}`, { userFacing: false })));
    worker.on('exit', (code) => this.fail(new WorkerPoolError(`a worker thread exited (code ${code})`, { userFacing: false })));
  }

  /** Rejects every pending request (and every later one) with `error`. */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const request of this.pending.values()) request.reject(error);
    this.pending.clear();
  }

  /** Starts `script` (a file of this folder, no extension), sends `init` and waits for its `ready`. */
  static async start<Request extends object, Reply>(script: string, init: object, transfer: Transferable[] = []): Promise<WorkerThread<Request, Reply>> {
    const worker = startWorker(script);
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerReply<unknown>) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'error' && message.id === null) reject(new WorkerPoolError(`a worker thread could not load the model: ${message.message}`));
      });
      worker.once('error', (error) => reject(new WorkerPoolError(`a worker thread could not start: ${error.message}`, { userFacing: false })));
    });
    const thread = new WorkerThread<Request, Reply>(worker);
    worker.postMessage(init, transfer);
    try {
      await ready;
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    worker.unref();
    return thread;
  }

  /** Sends a request; resolves with the worker's answer. */
  request(message: Request, transfer: Transferable[] = []): Promise<Reply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Stops the worker; requests still running are rejected. */
  async close(): Promise<void> {
    this.fail(new WorkerPoolError('the pool was closed'));
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** A tensor's values in a buffer of their own, safe to transfer (wasm reads copy already; other backends may share theirs). */
export function ownCopy(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  return tf.getBackend() === 'wasm' ? values : values.slice();
}

/** Copies of variables' values, to send (or transfer) to a worker. */
export function weightMessages(weights: Iterable<[string, tf.Variable | tf.Tensor]>): WeightMessage[] {
  return [...weights].map(([name, variable]) => ({ name, shape: [...variable.shape], values: ownCopy(variable) }));
}

/** The buffers of weight messages, to transfer rather than copy. */
export function buffersOf(weights: readonly WeightMessage[]): ArrayBuffer[] {
  return weights.map((w) => w.values.buffer as ArrayBuffer);
}
