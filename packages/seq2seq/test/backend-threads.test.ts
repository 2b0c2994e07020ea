import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackend, Seq2SeqModel, setBackend } from '../src/index.js';
import { tinyBatch } from './support/fixtures.js';

// auto's fallback to wasm is what these tests check: the native engine is turned off
process.env['SEQLOOM_NATIVE'] = 'off';

// Its own file: the thread count is fixed once per process (per test file here).
describe('setBackend wasm with 2 threads', () => {
  it('starts the threaded build, and a model gives the same loss as on cpu', async () => {
    await setBackend('cpu');
    const config = { sourceVocabSize: 12, targetVocabSize: 12, embeddingSize: 8, hiddenSize: 16, cell: 'lstm' as const };
    const onCpu = Seq2SeqModel.create(config, { seed: 3 });
    const batch = tinyBatch();
    const cpuLoss = tf.tidy(() => onCpu.loss(batch, { training: false }).loss.dataSync()[0]!);
    onCpu.dispose();

    expect(await setBackend('wasm', { threads: 2 })).toBe('wasm');
    expect(describeBackend()).toBe('wasm (2 threads)');
    const onWasm = Seq2SeqModel.create(config, { seed: 3 });
    const wasmLoss = tf.tidy(() => onWasm.loss(batch, { training: false }).loss.dataSync()[0]!);
    onWasm.dispose();
    expect(Math.abs(wasmLoss - cpuLoss)).toBeLessThan(1e-4);
    await expect(setBackend('wasm')).rejects.toThrow(/already running with 2 thread\(s\)/);
    expect(await setBackend('auto', { threads: 2 })).toBe('wasm');
  });
});
