import { describe, expect, it } from 'vitest';
import type { StepModel } from '@seqloom/decode';

describe('workspace wiring', () => {
  it('resolves @seqloom/decode from source', async () => {
    const mod = await import('@seqloom/decode');
    expect(typeof mod).toBe('object');
    const m: Partial<StepModel<number>> = { vocabSize: 3 };
    expect(m.vocabSize).toBe(3);
  });
});
