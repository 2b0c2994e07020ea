// `pnpm bench profile [--config A|B] [flags]`: where a seqloom training step
// spends its time, by kernel (tf.profile), and the share of time outside
// kernels (dispatch, JS). Use it to find the next thing to optimise.

import { createOptimizer, trainStep } from '@seqloom/seq2seq/tooling';
import * as tf from '@tensorflow/tfjs';
import { makeBenchData, toBatch } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
import { createBenchModel, startBackend } from './lib/seqloom-side.js';

const options = parseBenchOptions(process.argv.slice(2));
const { shape } = options;
const backend = await startBackend(options.threads);
const batches = makeBenchData(shape, 2).batches.map(toBatch);
const model = createBenchModel(shape);
const trainable = model.trainableWeights();
const optimizer = createOptimizer({ type: 'adam', learningRate: 1e-3 }, trainable);
const step = (i: number) => trainStep(model, trainable, optimizer, batches[i % 2]!, { learningRate: 1e-3, clipNorm: 1, loss: { training: true, seed: i } });
for (let i = 0; i < 3; i++) await step(i);

let wall = 0;
const info = await tf.profile(async () => {
  const start = performance.now();
  await step(3);
  wall = performance.now() - start;
});
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const key = k.name === 'BatchMatMul' || k.name === '_FusedMatMul' ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
  const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += Number(k.kernelTimeMs) || 0;
  entry.calls += 1;
  byKernel.set(key, entry);
}
const kernelMs = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
console.log(
  `config ${shape.name} on ${backend}: one training step ${wall.toFixed(1)} ms under tf.profile, ` +
    `${info.kernels.length} kernels, ${kernelMs.toFixed(1)} ms inside kernels`,
);
for (const [key, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / kernelMs).toFixed(1).padStart(5)} %  ${String(e.calls).padStart(5)}×  ${key}`);
}
