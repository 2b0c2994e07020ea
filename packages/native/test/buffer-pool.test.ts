import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BufferPool, PooledCpuBackend, sizeClass } from '../src/buffer-pool.js';
import { registerNativeBackend } from '../src/register-backend.js';
import { unavailable } from './native-available.js';

describe('BufferPool', () => {
  it('serves sizes from classes at most a quarter apart', () => {
    expect([1, 1024, 1025, 1280, 1281, 2047, 2048].map(sizeClass)).toEqual([1, 1024, 1280, 1280, 1536, 2048, 2048]);
  });

  it('hands a released buffer out again for the same size, and never one that was shared', () => {
    const pool = new BufferPool();
    const a = pool.take(2048);
    pool.noteHeld(a);
    pool.release(a);
    expect(pool.bytes).toBe(2048 * 4);
    const again = pool.take(2000); // the same size class
    expect(again.buffer).toBe(a.buffer);
    expect(again.length).toBe(2000);
    expect(pool.take(4096).buffer).not.toBe(a.buffer);
    const b = pool.take(2048);
    pool.noteHeld(b);
    pool.noteHeld(b.subarray(0, 10)); // a view reached its memory
    pool.release(b);
    expect(pool.bytes).toBe(0);
    expect(pool.take(2048).buffer).not.toBe(b.buffer);
  });

  it('ignores arrays it did not make', () => {
    const pool = new BufferPool();
    const mine = new Float32Array(4096);
    pool.noteHeld(mine);
    pool.release(mine);
    expect(pool.bytes).toBe(0);
    expect(pool.owns(mine)).toBe(false);
  });
});

describe.skipIf(unavailable !== undefined)('the native backend pools kernel outputs', () => {
  it('reuses the buffer of a disposed output, and what dataSync returned stays as it was', async () => {
    registerNativeBackend();
    await tf.setBackend('native');
    const backend = tf.backend() as PooledCpuBackend;
    expect(backend).toBeInstanceOf(PooledCpuBackend);
    const x = tf.fill([64, 64], 1);
    const first = tf.add(x, x); // 4,096 elements: a pooled output
    const read = first.dataSync();
    const readAsync = await first.data();
    const pooled = backend.pool.bytes;
    first.dispose();
    expect(backend.pool.bytes).toBeGreaterThanOrEqual(pooled + 4096 * 4);
    const second = tf.add(x, tf.scalar(5)); // same size: takes the freed buffer
    expect(second.dataSync()[0]).toBe(6);
    expect(backend.pool.bytes).toBe(pooled);
    expect(read[0]).toBe(2);
    expect(readAsync[0]).toBe(2);
    tf.dispose([x, second]);
  });

  it('a user array given to tf.tensor is never reused for another tensor', async () => {
    registerNativeBackend();
    await tf.setBackend('native');
    const mine = new Float32Array(4096).fill(3);
    const t = tf.tensor(mine, [64, 64]);
    t.dispose();
    const y = tf.add(tf.fill([64, 64], 1), tf.fill([64, 64], 1));
    expect(mine[0]).toBe(3);
    y.dispose();
  });
});
