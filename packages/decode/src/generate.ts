import { runDecodeLoop } from './decode-loop.js';
import type { StepEvent } from './events.js';
import type { GenerationResult } from './hypothesis.js';
import type { GenerateOptions } from './option-table.js';
import type { StepModel } from './step-model.js';

/**
 * Decode a batch of sources with `model` and return one result per source, in
 * order. Default: greedy, at most 64 new tokens. Throws DecodeOptionError for
 * an invalid option, DecodeModelError when the model breaks the StepModel
 * contract, NoAllowedTokenError when the processors mask every token.
 */
export async function generate<S>(model: StepModel<S>, sources: readonly (readonly number[])[], options?: GenerateOptions): Promise<GenerationResult[]> {
  const results = await runDecodeLoop(model, sources, options, null);
  return results ?? [];
}

/**
 * Like `generate`, but yields step events as they happen (see `StepEvent`).
 * Leaving the loop early (`break`) stops decoding before the next model step
 * and frees the model state.
 */
export function stream<S>(model: StepModel<S>, sources: readonly (readonly number[])[], options?: GenerateOptions): AsyncIterable<StepEvent> {
  return { [Symbol.asyncIterator]: () => new EventStream(model, sources, options) };
}

/**
 * The iterator behind `stream`: the decoding loop pushes events into a queue and
 * waits before each model step until the consumer has taken every event
 * (backpressure); `return()` (a `break`) cancels the loop and waits for it to
 * free the model state.
 */
class EventStream<S> implements AsyncIterator<StepEvent> {
  private readonly queue: StepEvent[] = [];
  private head = 0;
  private finished = false;
  private failure: { error: unknown } | null = null;
  private cancelled = false;
  private wake: (() => void) | null = null;
  private drained: (() => void) | null = null;
  private readonly run: Promise<void>;

  constructor(model: StepModel<S>, sources: readonly (readonly number[])[], options: GenerateOptions | undefined) {
    const waitForConsumer = (): Promise<void> =>
      this.head < this.queue.length && !this.cancelled ? new Promise<void>((resolve) => (this.drained = resolve)) : Promise.resolve();
    const push = (event: StepEvent): void => {
      this.queue.push(event);
      this.notify();
    };
    this.run = runDecodeLoop(model, sources, options, push, () => this.cancelled, waitForConsumer).then(
      () => this.end(null),
      (error: unknown) => this.end({ error }),
    );
  }

  async next(): Promise<IteratorResult<StepEvent>> {
    for (;;) {
      if (this.head < this.queue.length) {
        const value = this.queue[this.head];
        this.queue[this.head++] = undefined as never;
        return { value, done: false };
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return { value: undefined, done: true };
      this.release();
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<StepEvent>> {
    this.cancelled = true;
    this.release();
    await this.run;
    return { value: undefined, done: true };
  }

  private end(failure: { error: unknown } | null): void {
    this.failure = failure;
    this.finished = true;
    this.notify();
  }

  /** Let the loop take its next step. */
  private release(): void {
    const d = this.drained;
    this.drained = null;
    d?.();
  }

  /** Wake a consumer waiting in `next`. */
  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
