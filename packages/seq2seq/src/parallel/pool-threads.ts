import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { Seq2SeqModel } from '../seq2seq-model.js';
import { buffersOf, WorkerPoolError, WorkerThread, weightMessages } from './worker-thread.js';

/** A pool's thread count: `threads` checked (1–16), or the machine's cores (at most 4). */
export function poolThreads(pool: string, threads: number | undefined): number {
  const value = threads ?? Math.min(4, availableParallelism());
  if (!Number.isInteger(value) || value < 1 || value > 16) {
    throw new WorkerPoolError(`${pool}: threads must be an integer from 1 to 16, got ${String(threads)}.`);
  }
  return value;
}

/**
 * Starts `count` workers running `script`, one after the other (so only one
 * copy of the weights is in flight). Each is sent the backend's name, the
 * model's config, its own transferred copy of every weight, and `extra`. All
 * or none: a failure closes the workers already started and is rethrown.
 */
export async function startWorkers<Request extends object, Reply>(
  script: string,
  model: Seq2SeqModel,
  extra: object,
  count: number,
): Promise<WorkerThread<Request, Reply>[]> {
  const workers: WorkerThread<Request, Reply>[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const weights = weightMessages(model.namedWeights());
      const init = { backend: tf.getBackend(), config: model.config, weights, ...extra };
      workers.push(await WorkerThread.start<Request, Reply>(script, init, buffersOf(weights)));
    }
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.close()));
    throw error;
  }
  return workers;
}

/** Splits `items` into `parts` contiguous shares whose sizes differ by at most one. */
export function shares<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(items.length / parts) + (p < items.length % parts ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}
