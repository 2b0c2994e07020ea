import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError, describeBackend, Seq2SeqModel, setBackend } from '../src/index.js';
import { SeededRandom } from '../src/model/dropout.js';
import { analyticGrads, tinyBatch } from './support/fixtures.js';

// auto's fallback to wasm is what these tests check: the native engine is turned off
process.env['SEQLOOM_NATIVE'] = 'off';

afterAll(async () => {
  await setBackend('wasm');
});

describe('setBackend', () => {
  it('auto falls back to wasm when @tensorflow/tfjs-node is not installed', async () => {
    expect(await setBackend('auto')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('names a missing native backend and how to get it', async () => {
    await expect(setBackend('tensorflow')).rejects.toThrow(BackendUnavailableError);
    await expect(setBackend('tensorflow')).rejects.toThrow(/tfjs-node.*pnpm add|pnpm add.*tfjs-node/s);
  });

  it('rejects an unknown backend name', async () => {
    await expect(setBackend('gpu' as never)).rejects.toThrow(/Unknown backend "gpu": expected one of auto, tensorflow, wasm, cpu/);
  });

  it('rejects a thread count outside 1–4, and threads on cpu, naming the option', async () => {
    for (const threads of [0, 5, 2.5]) {
      await expect(setBackend('wasm', { threads })).rejects.toThrow(new RegExp(`threads must be an integer from 1 to 4, got ${threads}`));
    }
    await expect(setBackend('cpu', { threads: 2 })).rejects.toThrow(/cpu backend runs on one thread/);
  });

  it('refuses to change the thread count of a running wasm backend', async () => {
    await setBackend('wasm');
    expect(describeBackend()).toBe('wasm (1 thread)');
    await expect(setBackend('wasm', { threads: 2 })).rejects.toThrow(/already running with 1 thread\(s\); threads can be chosen once per process/);
    expect(await setBackend('wasm', { threads: 1 })).toBe('wasm');
  });

  it('switches to cpu and back', async () => {
    expect(await setBackend('cpu')).toBe('cpu');
    expect(await setBackend('wasm')).toBe('wasm');
  });
});

function segmentSumOn(backend: string, values: Float32Array, ids: Int32Array, width: number, segments: number): Float32Array {
  const previous = tf.getBackend();
  tf.setBackend(backend);
  const out = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(values, [ids.length, width]), tf.tensor1d(ids, 'int32'), segments).dataSync());
  tf.setBackend(previous);
  return out as Float32Array;
}

describe('UnsortedSegmentSum on wasm', () => {
  it('equals a plain reference for a 32,000-row vocabulary with repeated ids', async () => {
    await setBackend('wasm');
    const random = new SeededRandom(9);
    const rows = 640;
    const width = 16;
    const ids = Int32Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 7 : Math.floor(random.next() * 32000)));
    const values = Float32Array.from({ length: rows * width }, () => random.next() - 0.5);
    const wasm = segmentSumOn('wasm', values, ids, width, 32000);
    // tfjs's cpu kernel loops over all 32,000 segments; a direct sum is the reference here.
    const cpu = new Float32Array(32000 * width);
    ids.forEach((id, r) => {
      for (let k = 0; k < width; k++) cpu[id * width + k] += values[r * width + k];
    });
    expect(wasm.length).toBe(32000 * width);
    let maxDiff = 0;
    for (let i = 0; i < cpu.length; i++) maxDiff = Math.max(maxDiff, Math.abs(cpu[i] - wasm[i]));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(wasm[7 * width]).not.toBe(0);
  });

  it('equals the cpu kernel on a small vocabulary, ids out of range dropped', () => {
    const ids = Int32Array.from([2, 0, 2, 5, 1]);
    const values = Float32Array.from({ length: 15 }, (_, i) => i + 1);
    expect(Array.from(segmentSumOn('wasm', values, ids, 3, 4))).toEqual(Array.from(segmentSumOn('cpu', values, ids, 3, 4)));
    expect(Array.from(segmentSumOn('wasm', values, ids, 3, 4))).toEqual([4, 5, 6, 13, 14, 15, 8, 10, 12, 0, 0, 0]);
  });

  it('gives embedding (and all other) gradients on wasm equal to cpu', async () => {
    const config = { sourceVocabSize: 8, targetVocabSize: 8, hiddenSize: 6, embeddingSize: 5, attention: 'general' as const, bidirectional: true };
    await setBackend('cpu');
    const onCpu = Seq2SeqModel.create(config, { seed: 11 });
    const cpuGrads = analyticGrads(onCpu, tinyBatch());
    onCpu.dispose();
    await setBackend('wasm');
    const onWasm = Seq2SeqModel.create(config, { seed: 11 });
    const wasmGrads = analyticGrads(onWasm, tinyBatch());
    onWasm.dispose();
    expect([...wasmGrads.keys()].sort()).toEqual([...cpuGrads.keys()].sort());
    expect(wasmGrads.has('encoder/embedding') && wasmGrads.has('decoder/embedding')).toBe(true);
    for (const [name, cpu] of cpuGrads) {
      const wasm = wasmGrads.get(name) as Float32Array;
      let maxDiff = 0;
      for (let i = 0; i < cpu.length; i++) maxDiff = Math.max(maxDiff, Math.abs(cpu[i] - wasm[i]));
      expect(maxDiff, name).toBeLessThan(1e-4);
    }
  });
});
