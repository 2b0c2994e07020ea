import { generate } from '@seqloom/decode';
import { bigramModel } from '@seqloom/decode/testing';
import { describe, expect, it } from 'vitest';

describe('the decoding loop returns to the event loop', () => {
  it('a timer set before a long generation fires during it, so an abort signal from a timer (or a signal handler) stops it', async () => {
    // a model whose steps resolve at once and never choose the stop token: 20 000 steps if nothing stops it (seconds of work)
    const model = bigramModel([
      [0, 0, -1e9, 5],
      [0, 0, -1e9, 5],
      [0, 0, -1e9, 5],
      [0, 0, -1e9, 5],
    ]);
    const controller = new AbortController();
    const started = performance.now();
    let firedAt: number | undefined;
    setTimeout(() => {
      firedAt = performance.now() - started;
      controller.abort();
    }, 20);
    const [result] = await generate(model, [[3]], { maxNewTokens: 20_000, signal: controller.signal });
    expect(firedAt, 'the timer fired while decoding').toBeDefined();
    expect(result.best.finishReason).toBe('aborted');
    expect(result.best.ids.length).toBeLessThan(20_000);
  });
});
