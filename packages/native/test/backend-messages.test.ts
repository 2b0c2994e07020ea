import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerNativeBackend } from '../src/index.js';
import { unavailable } from './native-available.js';

describe.skipIf(unavailable !== undefined)('the native backend says nothing of its own', () => {
  afterEach(() => vi.restoreAllMocks());

  it('does not print tfjs advice to install tfjs-node on its first tensor', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    registerNativeBackend(); // this file runs in its own module graph: a fresh backend, whose first write would print it
    await tf.setBackend('native');
    tf.tensor([1, 2, 3]).dispose();
    expect(warn.mock.calls.flat().join('\n')).not.toMatch(/tfjs-node/);
  });
});
