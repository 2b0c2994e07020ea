import { type GenerateOptions, type GenerationResult, generate, type StepModel, validateGenerateOptions } from '@seqloom/decode';
import type { StepState } from '../adapter/step-model-adapter.js';
import type { Seq2SeqModel } from '../seq2seq-model.js';
import type { DecodeReply, DecodeRequest } from './pool-messages.js';
import { poolThreads, shares, startWorkers } from './pool-threads.js';
import { WorkerPoolError, type WorkerThread } from './worker-thread.js';

type DecodeWorker = WorkerThread<DecodeRequest, DecodeReply>;

/** Options of {@link DecodingPool.create}. */
export interface DecodingPoolOptions {
  /**
   * Threads decoding at once, the calling one included, 1–16 (default: the
   * machine's cores, at most 4). Each extra thread holds its own copy of
   * the model.
   */
  threads?: number;
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
    private readonly workers: DecodeWorker[],
    private readonly aborts: Int32Array[],
  ) {}

  /**
   * Starts `threads - 1` workers, each with a copy of `model`'s weights (as they
   * are now: make a new pool after changing them) on the current backend.
   */
  static async create(model: Seq2SeqModel, options: DecodingPoolOptions = {}): Promise<DecodingPool> {
    const threads = poolThreads('DecodingPool', options.threads);
    const workers = await startWorkers<DecodeRequest, DecodeReply>('decoding-worker', model, {}, threads - 1);
    return new DecodingPool(
      model.asStepModel(),
      workers,
      workers.map(() => new Int32Array(new SharedArrayBuffer(4))),
    );
  }

  /** Threads decoding at once (the calling one included). */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** `generate()` of `@seqloom/decode` over the pool's threads; results in source order. */
  async generate(sources: readonly number[][], options: GenerateOptions = {}): Promise<GenerationResult[]> {
    if (this.closed) throw new WorkerPoolError('DecodingPool: generate() after close().');
    const parts = Math.min(this.threads, sources.length);
    if (parts < 2 || !splittable(options)) return generate(this.stepModel, sources, options);
    validateGenerateOptions(options, this.stepModel.vocabSize); // bad options fail here, once, not in every worker
    const [own, ...rest] = shares(sources, parts);
    const { signal, ...forWorkers } = options;
    const aborts = this.aborts.slice(0, rest.length);
    aborts.forEach((flag) => Atomics.store(flag, 0, 0));
    const onAbort = () => aborts.forEach((flag) => Atomics.store(flag, 0, 1));
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) onAbort(); // before any worker starts: a worker may take its first step at once
    try {
      const remote = rest.map((share, i) => this.workers[i]!.request({ sources: share, options: forWorkers, abort: aborts[i]! }));
      remote.forEach((request) => request.catch(() => undefined)); // awaited below, unless this thread's share fails first
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
