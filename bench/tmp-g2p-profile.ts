import * as tf from '@tensorflow/tfjs';
import { createOptimizer, trainStep } from '@seqloom/seq2seq/training';
import { Seq2SeqModel, setBackend } from '@seqloom/seq2seq';
import { makeBenchData, toBatch } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
await setBackend('native');
const options = parseBenchOptions(['--vocab', '43', '--emb', '64', '--hidden', '256', '--batch', '64', '--source-len', '10', '--target-len', '9']);
const { shape } = options;
const batches = makeBenchData(shape, 2).batches.map(toBatch);
const model = Seq2SeqModel.create({ task: 'seq2seq', cell: 'lstm', layers: 1, hiddenSize: 256, embeddingSize: 64, attention: 'general', bidirectional: true,
  inputFeeding: false, dropout: 0.25, embeddingDropout: 0, sourceVocabSize: 43, targetVocabSize: 43, padId: 0, bosId: 1, eosId: 2, sourcePadId: 0 } as any, { seed: 1 });
const trainable = model.trainableWeights();
const optimizer = createOptimizer({ type: 'adam', learningRate: 1e-3 }, trainable);
const step = (i: number) => trainStep(model, trainable, optimizer, batches[i % 2]!, { learningRate: 1e-3, clipNorm: 5, loss: { training: true, seed: i, labelSmoothing: 0.1 } as any });
for (let i = 0; i < 5; i++) await step(i);
const times: number[] = [];
for (let i = 0; i < 20; i++) { const t = performance.now(); await step(i); times.push(performance.now() - t); }
times.sort((a, b) => a - b);
console.log('step min', times[0]!.toFixed(1), 'median', times[10]!.toFixed(1));
const info = await tf.profile(async () => { await step(3); });
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const key = `${k.name} ${JSON.stringify(k.inputShapes).slice(0, 80)}`;
  const e = byKernel.get(key) ?? { ms: 0, calls: 0 }; e.ms += Number(k.kernelTimeMs) || 0; e.calls++; byKernel.set(key, e);
}
const total = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
console.log('kernels', info.kernels.length, 'ms in kernels', total.toFixed(1));
for (const [key, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30)) console.log(e.ms.toFixed(2).padStart(7), String(e.calls).padStart(4), key);
