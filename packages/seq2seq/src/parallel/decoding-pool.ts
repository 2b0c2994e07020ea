import { generate, validateGenerateOptions, type GenerateOptions, type GenerationResult, type StepModel } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StepState } from '../adapter/step-model-adapter.js';
import type { Seq2SeqModel } from '../model/seq2seq-model.js';
import type { FromWorker, ToWorker, WeightMessage } from './pool-messages.js';

/** Options of {@link DecodingPool.create}. */
export interface DecodingPoolOptions {
  /**
   * Threads decoding at once, the calling one included, 1–16 (default: the
   * machine's cores, at most 4). Each extra thread holds its own copy of
   * the model.
   */
  threads?: number;
}

/** A decoding pool could not start or was used after close(). */
export class DecodingPoolError extends Error {
  override name = 'DecodingPoolError';
}

interface Pending {
  resolve(results: GenerationResult[]): void;
  reject(error: Error): void;
}

/** The worker script: the compiled .js beside this file, or the .ts source under a TypeScript loader. */
function startWorker(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(fromSource ? './decoding-worker.ts' : './decoding-worker.js', import.meta.url);
  if (!fromSource) return new Worker(script);
  // Running from TypeScript sources (tests, the monorepo's CLI): load the worker through tsx.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script.href)}); });`;
  return new Worker(code, { eval: true, execArgv: ['--conditions=source'] });
}

/** One worker thread with its model copy and the requests it is running. */
class PoolWorker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  readonly abort = new Int32Array(new SharedArrayBuffer(4));

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return;
      const request = this.pending.get(message.id ?? -1);
      if (request === undefined) return;
      this.pending.delete(message.id!);
      if (this.pending.size === 0) worker.unref(); // idle workers must not keep Node from exiting
      if (message.type === 'result') request.resolve(message.results);
      else request.reject(new DecodingPoolError(`a decoding worker failed: ${message.message}`));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new DecodingPoolError(`a decoding worker crashed: ${error.message}`)));
    worker.on('exit', (code) => fail(new DecodingPoolError(`a decoding worker exited (code ${code})`)));
  }

  /** Starts a worker and loads the model into it; resolves once it is ready. */
  static async start(init: ToWorker): Promise<PoolWorker> {
    const worker = startWorker();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'error' && message.id === null) reject(new DecodingPoolError(`a decoding worker could not load the model: ${message.message}`));
      });
      worker.once('error', (error) => reject(new DecodingPoolError(`a decoding worker could not start: ${error.message}`)));
    });
    const pool = new PoolWorker(worker);
    worker.postMessage(init);
    try {
      await ready;
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    worker.unref();
    return pool;
  }

  generate(sources: number[][], options: GenerateOptions): Promise<GenerationResult[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    Atomics.store(this.abort, 0, 0);
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'generate', id, sources, options, abort: this.abort } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** Options that can be split by source and sent to a worker (functions and sampling stay on one thread). */
function splittable(options: GenerateOptions): boolean {
  if (options.strategy === 'sample') return false; // one random stream over all rows: splitting would change the draws
  if (options.processors !== undefined || options.stoppingCriteria !== undefined) return false;
  const { signal: _signal, ...rest } = options;
  try {
    structuredClone(rest);
    return true;
  } catch {
    return false;
  }
}

/** Splits `items` into `parts` contiguous shares whose sizes differ by at most one. */
function shares<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(items.length / parts) + (p < items.length % parts ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/**
 * Decodes on several threads: the sources of one `generate` call are split
 * into contiguous shares, the calling thread decodes the first, and each
 * worker thread (holding its own copy of the model on its own backend) one of
 * the others. Greedy, beam and exhaustive search give the same results as
 * `generate(model.asStepModel(), …)` on one thread; sampling, custom
 * processors and stopping criteria run on the calling thread alone. An
 * AbortSignal stops every thread's rows (reason `aborted`).
 */
export class DecodingPool {
  private closed = false;

  private constructor(
    private readonly stepModel: StepModel<StepState>,
    private readonly workers: PoolWorker[],
  ) {}

  /** Starts `threads - 1` workers, each with a copy of `model`'s weights on the current backend. */
  static async create(model: Seq2SeqModel, options: DecodingPoolOptions = {}): Promise<DecodingPool> {
    const threads = options.threads ?? Math.min(4, availableParallelism());
    if (!Number.isInteger(threads) || threads < 1 || threads > 16) {
      throw new DecodingPoolError(`DecodingPool: threads must be an integer from 1 to 16, got ${String(options.threads)}.`);
    }
    const workers: PoolWorker[] = [];
    if (threads > 1) {
      const weights: WeightMessage[] = [...model.namedWeights()].map(([name, variable]) => ({
        name,
        shape: [...variable.shape],
        values: variable.dataSync() as Float32Array,
      }));
      const init: ToWorker = { type: 'init', backend: tf.getBackend(), config: model.config, weights };
      const started = await Promise.allSettled(Array.from({ length: threads - 1 }, () => PoolWorker.start(init)));
      for (const result of started) if (result.status === 'fulfilled') workers.push(result.value);
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed !== undefined) {
        await Promise.all(workers.map((worker) => worker.close()));
        throw failed.reason;
      }
    }
    return new DecodingPool(model.asStepModel(), workers);
  }

  /** Threads decoding at once (the calling one included). */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** `generate()` of `@seqloom/decode` over the pool's threads; results in source order. */
  async generate(sources: readonly number[][], options: GenerateOptions = {}): Promise<GenerationResult[]> {
    if (this.closed) throw new DecodingPoolError('DecodingPool: generate() after close().');
    const parts = Math.min(this.threads, sources.length);
    if (parts < 2 || !splittable(options)) return generate(this.stepModel, sources, options);
    validateGenerateOptions(options, this.stepModel.vocabSize); // bad options fail here, once, not in every worker
    const [own, ...rest] = shares(sources, parts);
    const { signal, ...forWorkers } = options;
    const busy = this.workers.slice(0, rest.length);
    const onAbort = () => busy.forEach((worker) => Atomics.store(worker.abort, 0, 1));
    signal?.addEventListener('abort', onAbort);
    try {
      const remote = rest.map((share, i) => busy[i]!.generate(share, forWorkers));
      remote.forEach((request) => request.catch(() => undefined)); // awaited below, unless this thread's share fails first
      if (signal?.aborted) onAbort();
      // decode this thread's share while the workers decode theirs
      const local = await generate(this.stepModel, own!, options).catch((error: unknown) => {
        onAbort();
        throw error;
      });
      return [local, ...(await Promise.all(remote))].flat();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Stops the workers; the model passed to create() is not disposed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
