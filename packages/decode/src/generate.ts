import { runDecodeLoop } from './decode-loop.js';
import type { StepEvent } from './events.js';
import type { GenerationResult } from './hypothesis.js';
import type { GenerateOptions } from './options.js';
import type { StepModel } from './step-model.js';

/**
 * Decode a batch of sources with `model` and return one result per source, in
 * order. Default: greedy, at most 64 new tokens. Throws DecodeOptionError for
 * an invalid option, DecodeModelError when the model breaks the StepModel
 * contract, NoAllowedTokenError when the processors mask every token.
 */
export async function generate<S>(
  model: StepModel<S>,
  sources: readonly (readonly number[])[],
  options?: GenerateOptions,
): Promise<GenerationResult[]> {
  const results = await runDecodeLoop(model, sources, options, () => {});
  return results ?? [];
}

/**
 * Like `generate`, but yields step events as they happen (see `StepEvent`).
 * Leaving the loop early (`break`) stops decoding before the next model step
 * and frees the model state.
 */
export function stream<S>(
  model: StepModel<S>,
  sources: readonly (readonly number[])[],
  options?: GenerateOptions,
): AsyncIterable<StepEvent> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<StepEvent> {
      const queue: StepEvent[] = [];
      let head = 0;
      let finished = false;
      let failure: { error: unknown } | null = null;
      let cancelled = false;
      let wake: (() => void) | null = null;
      // The loop waits before each model step until the consumer has taken every event.
      let drained: (() => void) | null = null;
      const waitForConsumer = (): Promise<void> =>
        head < queue.length && !cancelled ? new Promise<void>((resolve) => (drained = resolve)) : Promise.resolve();
      const release = (): void => {
        const d = drained;
        drained = null;
        d?.();
      };
      const notify = (): void => {
        const w = wake;
        wake = null;
        w?.();
      };
      const run = runDecodeLoop(model, sources, options, (e) => {
        queue.push(e);
        notify();
      }, () => cancelled, waitForConsumer).then(
        () => {
          finished = true;
          notify();
        },
        (error: unknown) => {
          failure = { error };
          finished = true;
          notify();
        },
      );
      return {
        async next(): Promise<IteratorResult<StepEvent>> {
          for (;;) {
            if (head < queue.length) {
              const value = queue[head];
              queue[head++] = undefined as never;
              return { value, done: false };
            }
            if (failure) throw failure.error;
            if (finished) return { value: undefined, done: true };
            release();
            await new Promise<void>((resolve) => (wake = resolve));
          }
        },
        async return(): Promise<IteratorResult<StepEvent>> {
          cancelled = true;
          release();
          await run;
          return { value: undefined, done: true };
        },
      };
    },
  };
}
