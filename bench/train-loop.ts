// Training-loop overhead: `train()` (batching, clipping, optimizer over tf ops,
// callbacks, evaluation, checkpoints) against a bare loop of the same model's
// forward/backward with tfjs's own Adam, on the same batches.
// Usage: pnpm bench train-loop [--steps 60] [--hidden 128] [--batch 64] [--backend wasm]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendChoice, loadCheckpoint, Seq2SeqModel, saveCheckpoint, setBackend, train } from '@seqloom/seq2seq';
import { makeBatch, planEpoch, SeededRng, type SequenceExample } from '@seqloom/seq2seq/data';
import * as tf from '@tensorflow/tfjs';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '60' },
    hidden: { type: 'string', default: '128' },
    batch: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const steps = Number(values.steps);
const hidden = Number(values.hidden);
const batchSize = Number(values.batch);
const backend = await setBackend(values.backend as BackendChoice);

const vocab = 40;
const rng = new SeededRng(1);
const examples: SequenceExample[] = Array.from({ length: steps * batchSize }, () => {
  const y = Array.from({ length: 3 + rng.nextInt(8) }, () => 3 + rng.nextInt(vocab - 3));
  return { source: [...y].reverse(), targetIn: [1, ...y], targetOut: [...y, 2] };
});
const config = { sourceVocabSize: vocab, targetVocabSize: vocab, hiddenSize: hidden, embeddingSize: hidden / 2, attention: 'general' as const };

async function bare(): Promise<number> {
  const model = Seq2SeqModel.create(config, { seed: 1 });
  const optimizer = tf.train.adam(1e-3);
  const vars = [...model.namedWeights().values()];
  const plan = planEpoch(examples, 0, { batchSize, seed: 42 });
  const started = performance.now();
  for (let s = 0; s < steps; s++) {
    const batch = makeBatch(examples, plan[s], model.config);
    const loss = optimizer.minimize(() => model.loss(batch, { training: true, seed: s }).loss, true, vars)!;
    await loss.data();
    loss.dispose();
  }
  const ms = (performance.now() - started) / steps;
  optimizer.dispose();
  model.dispose();
  return ms;
}

async function loop(): Promise<{ ms: number; tokensPerSecond: number }> {
  const model = Seq2SeqModel.create(config, { seed: 1 });
  let tokens = 0;
  const started = performance.now();
  await train({ model, train: examples, batchSize, epochs: 1, maxSteps: steps, onStep: (e) => void (tokens += e.tokens) });
  const elapsed = performance.now() - started;
  model.dispose();
  return { ms: elapsed / steps, tokensPerSecond: (tokens / elapsed) * 1000 };
}

async function checkpointTimes(): Promise<{ save: number; load: number; params: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'seqloom-bench-'));
  const model = Seq2SeqModel.create(config, { seed: 1 });
  let started = performance.now();
  await saveCheckpoint(join(dir, 'c'), { model });
  const save = performance.now() - started;
  started = performance.now();
  const loaded = await loadCheckpoint(join(dir, 'c'), { createModel: (c) => Seq2SeqModel.create(c) });
  const load = performance.now() - started;
  const params = model.parameterCount();
  loaded.model.dispose();
  model.dispose();
  await rm(dir, { recursive: true, force: true });
  return { save, load, params };
}

await bare(); // warm-up (kernel compilation, first allocations)
// Alternate the two and keep each one's best of two, to damp machine noise.
const bareRuns = [await bare()];
const loopRuns = [await loop()];
bareRuns.push(await bare());
loopRuns.push(await loop());
const bareMs = Math.min(...bareRuns);
const run = loopRuns.reduce((a, b) => (a.ms <= b.ms ? a : b));
const ckpt = await checkpointTimes();
console.log(`runs (ms/step): bare ${bareRuns.map((m) => m.toFixed(1)).join(', ')}; train() ${loopRuns.map((r) => r.ms.toFixed(1)).join(', ')}`);
console.log(`backend ${backend}; LSTM + general attention, hidden ${hidden}, batch ${batchSize}, ${steps} steps, ${ckpt.params} parameters`);
console.log(`bare forward/backward + tf.train.adam: ${bareMs.toFixed(1)} ms/step`);
console.log(`train() loop:                         ${run.ms.toFixed(1)} ms/step, ${Math.round(run.tokensPerSecond)} target tokens/s`);
console.log(`loop overhead: ${(((run.ms - bareMs) / bareMs) * 100).toFixed(1)} % (clipping, own Adam, batching, evaluation, callbacks)`);
console.log(`checkpoint save ${ckpt.save.toFixed(0)} ms, load ${ckpt.load.toFixed(0)} ms`);
