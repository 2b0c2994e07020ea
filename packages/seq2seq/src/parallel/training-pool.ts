import { deriveSeed } from '@seqloom/core';
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../model-contract.js';
import { globalNormScale } from '../optim/clip-by-global-norm.js';
import type { Optimizer } from '../optim/optimizer.js';
import type { Stepper, StepResult, StepSettings } from '../optim/stepper.js';
import type { Seq2SeqModel } from '../seq2seq-model.js';
import type { GradientReply, GradientRequest, WeightMessage } from './pool-messages.js';
import { poolThreads, startWorkers } from './pool-threads.js';
import { splitBatch } from './split-batch.js';
import { WorkerPoolError, type WorkerThread, weightMessages } from './worker-thread.js';

type GradientWorker = WorkerThread<GradientRequest, GradientReply>;

/** Options of {@link TrainingPool.create}. */
export interface TrainingPoolOptions {
  /** Threads computing gradients at once, the calling one included, 1–16 (default: the machine's cores, at most 4). */
  threads?: number;
}

/** A distinct dropout / sampling seed for shard `shard` of a step seeded `seed` (shard 0 keeps `seed`). */
function shardSeed(seed: number | undefined, shard: number): number | undefined {
  return seed === undefined || shard === 0 ? seed : deriveSeed(seed, 'shard', shard);
}

/**
 * Data-parallel training on several threads: each step's batch is split into
 * row shares; the calling thread and each worker thread (holding its own copy
 * of the model) compute the loss and gradients of one share at the same time;
 * the gradients are averaged with weights proportional to each share's target
 * tokens, which gives the gradient of the whole batch's mean loss, then
 * clipped and applied once by the optimizer here. Workers take up the new
 * weights with their next share. With dropout or scheduled sampling each share
 * draws from its own seed, so runs are reproducible for a given thread count.
 */
export class TrainingPool {
  private closed = false;
  /** Trainable weights after the last update, and the update each worker has. */
  private latest: WeightMessage[] | null = null;
  private version = 0;
  private readonly seen: number[];

  private constructor(
    private readonly model: Seq2SeqModel,
    private readonly workers: GradientWorker[],
    /** The trainable weights' names, in the order workers send their gradients. */
    private readonly names: string[],
  ) {
    this.seen = workers.map(() => 0);
  }

  /** Starts `threads - 1` workers with a copy of `model` (all weights) that compute gradients of `trainable`. */
  static async create(model: Seq2SeqModel, trainable: ReadonlyMap<string, tf.Variable>, options: TrainingPoolOptions = {}): Promise<TrainingPool> {
    const threads = poolThreads('TrainingPool', options.threads);
    const names = [...trainable.keys()];
    const workers = await startWorkers<GradientRequest, GradientReply>('training-worker', model, { trainable: names }, threads - 1);
    return new TrainingPool(model, workers, names);
  }

  /** Threads computing gradients at once (the calling one included). */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** The pool as the {@link Stepper} of a training run; closing it closes the pool. */
  stepper(trainable: ReadonlyMap<string, tf.Variable>, optimizer: Optimizer): Stepper {
    return { step: (batch, settings) => this.trainStep(trainable, optimizer, batch, settings), close: () => this.close() };
  }

  /**
   * One optimizer step (as `trainStep`) with the batch's rows shared among the
   * pool's threads. A batch too small to share runs here alone (the sums
   * below then add nothing and scale by 1, so the result is the same).
   */
  async trainStep(trainable: ReadonlyMap<string, tf.Variable>, optimizer: Optimizer, batch: Batch, step: StepSettings): Promise<StepResult> {
    if (this.closed) throw new WorkerPoolError('TrainingPool: trainStep() after close().');
    const shards = splitBatch(batch, this.threads);
    const remote = shards.slice(1).map((shard, i) => {
      const weights = this.seen[i] === this.version ? null : this.latest;
      this.seen[i] = this.version;
      return this.workers[i]!.request({ batch: shard, loss: { ...step.loss, countCorrect: false, seed: shardSeed(step.loss.seed, i + 1) }, weights });
    });
    remote.forEach((request) => request.catch(() => undefined)); // awaited below, unless the local share fails first
    const varList = [...trainable.values()];
    const local = tf.tidy(() => tf.variableGrads(() => this.model.loss(shards[0]!, { ...step.loss, countCorrect: false }).loss, varList));
    try {
      const replies = await Promise.all(remote);
      const share = shards.map((shard) => shard.tokens / batch.tokens);
      const result = tf.tidy(() => {
        const named = new Map<string, tf.Tensor>();
        this.names.forEach((name, w) => {
          const variable = trainable.get(name);
          if (variable === undefined)
            throw new WorkerPoolError(`TrainingPool: trainStep() was given no weight "${name}"; pass the trainable weights given to create()`);
          let sum = tf.mul(local.grads[variable.name]!, share[0]!);
          replies.forEach((reply, i) => {
            const grad = reply.grads[w]!;
            sum = tf.add(sum, tf.mul(tf.tensor(grad.values, grad.shape, 'float32'), share[i + 1]!));
          });
          named.set(name, sum);
        });
        const clipped = globalNormScale(named, step.clipNorm); // the optimizer folds the clip factor into its update
        optimizer.apply(named, step.learningRate, clipped.scale);
        const loss = replies.reduce((total, reply, i) => total + reply.loss * share[i + 1]!, 0);
        return tf.stack([tf.add(tf.mul(local.value, share[0]!), loss), clipped.norm]);
      });
      const [loss, gradNorm] = await result.data();
      result.dispose();
      return this.afterUpdate({ loss: loss!, gradNorm: gradNorm! }, trainable);
    } finally {
      tf.dispose([local.value, ...Object.values(local.grads)]);
    }
  }

  /** Reads the updated weights, which each worker takes up with its next share. */
  private afterUpdate(result: StepResult, trainable: ReadonlyMap<string, tf.Variable>): StepResult {
    this.latest = weightMessages(trainable);
    this.version += 1;
    return result;
  }

  /** Stops the workers; the model is not disposed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
