import * as decode from '@seqloom/decode';
import * as testing from '@seqloom/decode/testing';
import { describe, expect, it } from 'vitest';

describe('workspace wiring', () => {
  it('resolves @seqloom/decode and its ./testing entry from source, with the public API', () => {
    for (const name of ['generate', 'stream', 'createRng', 'validateGenerateOptions', 'topP', 'maxNewTokens']) {
      expect(typeof (decode as Record<string, unknown>)[name], name).toBe('function');
    }
    for (const name of ['bigramModel', 'scriptedModel', 'randomTableModel', 'TableStepModel'] as const) expect(typeof testing[name], name).toBe('function');
  });
});
