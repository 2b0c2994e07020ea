import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALIGN_WRITES_FROM, BufferPool, PooledCpuBackend, sizeClass } from '../src/buffer-pool.js';
import { nativeDecodeStep } from '../src/decode-step.js';
import { registerNativeBackend } from '../src/index.js';
import { loadNativeAddon } from '../src/internal.js';
import { unavailable } from './native-available.js';

/** A Float32Array of `count` elements whose data starts `past` bytes (a multiple of 4) after a 64-byte boundary. */
function startingAt(past: number, count: number): Float32Array {
  const addon = loadNativeAddon();
  const buffer = new ArrayBuffer(count * 4 + 128);
  const base = addon.alignmentOf(new Float32Array(buffer, 0, 1));
  const values = new Float32Array(buffer, (64 - base + past) % 64, count);
  expect(addon.alignmentOf(values)).toBe(past);
  return values;
}

describe.skipIf(unavailable !== undefined)('64-byte-aligned buffers for the GEMM operands', () => {
  const addon = unavailable === undefined ? loadNativeAddon() : undefined!;
  const alignmentOf = (values: Float32Array) => addon.alignmentOf(values);

  beforeAll(async () => {
    registerNativeBackend();
    await tf.setBackend('native');
  });

  it('alignmentOf gives the byte offset past the last 64-byte boundary and names a bad argument', () => {
    const values = new Float32Array(64);
    const start = addon.alignmentOf(values);
    expect(start % 4).toBe(0);
    expect(addon.alignmentOf(values.subarray(3))).toBe((start + 12) % 64);
    expect(addon.alignmentOf(values.subarray(16))).toBe(start);
    expect(() => addon.alignmentOf([1, 2] as unknown as Float32Array)).toThrow(TypeError);
    expect(() => addon.alignmentOf([1, 2] as unknown as Float32Array)).toThrow(/alignmentOf: values must be a Float32Array/);
    expect(() => addon.alignmentOf(new Int32Array(4) as unknown as Float32Array)).toThrow(/alignmentOf: values must be a Float32Array/);
    expect(() => (addon.alignmentOf as unknown as () => number)()).toThrow(/alignmentOf: expected 1 arguments, got 0/);
  });

  it('the pool hands out aligned arrays of the asked length, and reuses them by their real capacity', () => {
    const pool = new BufferPool(alignmentOf);
    for (const count of [1024, 1500, 4096, 70_000]) {
      const values = pool.take(count);
      expect([values.length, alignmentOf(values)]).toEqual([count, 0]);
    }
    const first = pool.take(2000); // size class 2048, 64 bytes of slack
    pool.noteHeld(first);
    pool.release(first);
    expect(pool.bytes).toBe(sizeClass(2000) * 4 + 64);
    const again = pool.take(2048); // the same class: the same buffer, from the same aligned start
    expect(again.buffer).toBe(first.buffer);
    expect([again.byteOffset, again.length, alignmentOf(again)]).toEqual([first.byteOffset, 2048, 0]);
    expect(pool.bytes).toBe(0);
  });

  it('the pool never reuses a buffer a second array reached', () => {
    const pool = new BufferPool(alignmentOf);
    const values = pool.take(4096);
    pool.noteHeld(values);
    pool.noteHeld(values.subarray(8));
    pool.release(values);
    expect(pool.bytes).toBe(0);
    expect(pool.take(4096).buffer).not.toBe(values.buffer);
  });

  it('a weight the fused decode step reads in place never goes back to the pool, even after its tensor is disposed', () => {
    const backend = tf.backend() as PooledCpuBackend;
    const weight = tf.add(tf.fill([64, 256], 1), 0); // a kernel output: a pool buffer
    const values = nativeDecodeStep().tensorValues(weight);
    expect(backend.pool.owns(values)).toBe(true);
    weight.dispose();
    const next = tf.add(tf.fill([64, 256], 2), 0); // the same size class
    expect(backend.data.get(next.dataId)!.values).not.toBe(values);
    expect((backend.data.get(next.dataId)!.values as Float32Array).buffer).not.toBe(values.buffer);
    expect(values[0]).toBe(1); // what the handle reads is untouched
    next.dispose();
  });

  it('kernel outputs on the native backend are aligned', () => {
    const x = tf.fill([64, 300], 1);
    const y = tf.add(x, x);
    const product = tf.matMul(y, tf.ones([300, 256]));
    const backend = tf.backend() as PooledCpuBackend;
    for (const t of [y, product]) expect(alignmentOf(backend.data.get(t.dataId)!.values as Float32Array)).toBe(0);
    tf.dispose([x, y, product]);
  });

  it('a large misaligned array written to the backend is held as an aligned copy of it', () => {
    const backend = tf.backend() as PooledCpuBackend;
    const mine = startingAt(16, ALIGN_WRITES_FROM);
    mine.forEach((_, i) => (mine[i] = i * 0.5));
    const t = tf.tensor(mine, [128, 128]);
    const held = backend.data.get(t.dataId)!.values as Float32Array;
    expect(held).not.toBe(mine);
    expect(alignmentOf(held)).toBe(0);
    expect(held).toEqual(mine);
    mine[0] = -1; // the caller's array is its own again
    expect(t.dataSync()[0]).toBe(0);
    t.dispose();
  });

  it('smaller or already aligned arrays are held as they are', () => {
    const backend = tf.backend() as PooledCpuBackend;
    const small = startingAt(16, ALIGN_WRITES_FROM - 1);
    const aligned = startingAt(0, ALIGN_WRITES_FROM);
    const tensors = [tf.tensor(small), tf.tensor(aligned)];
    expect(tensors.map((t) => backend.data.get(t.dataId)!.values)).toEqual([small, aligned]);
    expect(backend.data.get(tensors[0]!.dataId)!.values).toBe(small);
    expect(backend.data.get(tensors[1]!.dataId)!.values).toBe(aligned);
    tf.dispose(tensors);
  });

  it('a large tensor moved in from another backend is aligned too', async () => {
    await tf.setBackend('cpu');
    const moved = tf.tensor(startingAt(32, 2 * ALIGN_WRITES_FROM).fill(2));
    await tf.setBackend('native');
    const doubled = tf.add(moved, moved); // reading it on the native backend moves its data here
    const backend = tf.backend() as PooledCpuBackend;
    const held = backend.data.get(moved.dataId)!.values as Float32Array;
    expect([alignmentOf(held), held[0], doubled.dataSync()[0]]).toEqual([0, 2, 4]);
    tf.dispose([moved, doubled]);
  });
});
