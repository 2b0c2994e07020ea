import { availableParallelism } from 'node:os';
import type { WeightMessage } from './pool-messages.js';
import { buffersOf, WorkerPoolError, WorkerThread } from './worker-thread.js';

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
 * copy of the weights is in flight), each sent `init(weights)` with its own
 * copy of the weights transferred; all or none.
 */
export async function startWorkers<Request extends object, Reply>(
  script: string,
  init: (weights: WeightMessage[]) => object,
  weights: () => WeightMessage[],
  count: number,
): Promise<WorkerThread<Request, Reply>[]> {
  const started: PromiseSettledResult<WorkerThread<Request, Reply>>[] = [];
  for (let i = 0; i < count; i++) {
    const copy = weights();
    started.push(...(await Promise.allSettled([WorkerThread.start<Request, Reply>(script, init(copy), buffersOf(copy))])));
  }
  const workers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.all(workers.map((worker) => worker.close()));
    throw failed.reason;
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
