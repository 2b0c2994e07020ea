import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerSeqloomWasmKernels } from './register-wasm-kernels.js';
import { registerThreadedWasmBackend, ThreadedWasmError, threadedWasmThreads } from './threaded-wasm.js';

describe('registerThreadedWasmBackend', () => {
  it('rejects a thread count outside 1–4', async () => {
    await expect(registerThreadedWasmBackend({ threads: 0 })).rejects.toThrow(ThreadedWasmError);
    await expect(registerThreadedWasmBackend({ threads: 2.5 })).rejects.toThrow(/integer 1–4, got 2.5/);
  });

  it('starts a 2-thread pool whose matMul and slices match the cpu backend', async () => {
    await tf.setBackend('cpu');
    const a = tf.randomUniform([96, 200], -1, 1, 'float32', 1);
    const b = tf.randomUniform([150, 200], -1, 1, 'float32', 2);
    const want = tf.matMul(a, b, false, true).dataSync();
    const wantSlices = tf.unstack(a.reshape([12, 8, 200])).map((t) => t.dataSync());
    const aValues = a.dataSync();
    const bValues = b.dataSync();

    await registerThreadedWasmBackend({ threads: 2 });
    expect(threadedWasmThreads()).toBe(0);
    registerSeqloomWasmKernels();
    await tf.setBackend('wasm');
    expect(threadedWasmThreads()).toBe(2);
    const a2 = tf.tensor2d(aValues, [96, 200]);
    const b2 = tf.tensor2d(bValues, [150, 200]);
    const got = tf.matMul(a2, b2, false, true).dataSync();
    got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-3));
    tf.unstack(a2.reshape([12, 8, 200])).forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(wantSlices[i]!)));
    await expect(registerThreadedWasmBackend()).rejects.toThrow(/already running/);
  });
});
