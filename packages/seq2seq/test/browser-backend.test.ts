import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, describeBackend, setBackend } from '../src/browser.js';

describe('setBackend of the browser entry', () => {
  it('offers wasm and cpu only, naming the Node-only backends', async () => {
    for (const name of ['native', 'tensorflow', 'gpu']) {
      const error = await setBackend(name as 'wasm').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect((error as Error).message).toBe(
        `Unknown backend "${name}" in a browser: expected one of auto, wasm, cpu (tensorflow, native and threads are Node's).`,
      );
    }
  });

  it('starts the cpu backend and says so', async () => {
    expect(await setBackend('cpu')).toBe('cpu');
    expect(describeBackend()).toBe('cpu');
  });
});
