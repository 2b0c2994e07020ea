import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ADDON_PATH } from '../src/internal.js';
import { unavailable } from './native-available.js';

// Each worker loads the addon, sets its own GEMM threads, waits until every
// worker has set them, then runs a product and reads its setting back.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const addon = require(workerData.addon);
const gate = new Int32Array(workerData.gate);
addon.setThreads(workerData.threads, 0);
Atomics.add(gate, 0, 1);
Atomics.notify(gate, 0);
while (Atomics.load(gate, 0) < workerData.workers) Atomics.wait(gate, 0, Atomics.load(gate, 0), 1000);
const a = new Float32Array(64 * 64).fill(1);
const c = new Float32Array(64 * 64);
addon.sgemm(false, false, 1, 64, 64, 64, 1, a, 0, a, 0, 0, c);
parentPort.postMessage({ threads: addon.info().threads, product: c[0] });
`;

function runWorker(threads: number, gate: SharedArrayBuffer, workers: number): Promise<{ threads: number; product: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: { addon: ADDON_PATH, threads, gate, workers } });
    worker.once('message', (message: { threads: number; product: number }) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe.skipIf(unavailable !== undefined)('GEMM thread settings belong to the thread that makes them', () => {
  it('two worker threads with different settings each keep their own', async () => {
    const gate = new SharedArrayBuffer(4);
    const settings = [3, 1];
    const said = await Promise.all(settings.map((threads) => runWorker(threads, gate, settings.length)));
    expect(said.map((s) => s.threads)).toEqual(settings);
    expect(said.map((s) => s.product)).toEqual([64, 64]);
  });
});
