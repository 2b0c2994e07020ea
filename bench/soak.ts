// `pnpm bench soak [--steps 10000] [--decodes 10000] [--backend native|wasm|cpu] [--hidden 64] [--batch 16]`:
// live tensors and resident memory over many training steps, then over many
// decodes (greedy, beam-3 and seeded sampling in turn), sampled every tenth
// of the run. Prints the samples and whether both stayed flat: live tensors
// must not move at all, and the peak RSS of the second half must stay within
// 5 % of the first half's (garbage collection makes RSS wave; a leak makes it
// climb). Exits 1 when not flat.

import { parseArgs } from 'node:util';
import { generate } from '@seqloom/decode';
import { nativeUnavailableReason } from '@seqloom/native';
import { describeBackend, Seq2SeqModel, setBackend } from '@seqloom/seq2seq';
import { createOptimizer, trainStep } from '@seqloom/seq2seq/tooling';
import * as tf from '@tensorflow/tfjs';
import { BOS, EOS, makeBenchData, PAD, toBatch } from './lib/bench-data.js';
import type { BenchShape } from './lib/bench-options.js';

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '10000' },
    decodes: { type: 'string', default: '10000' },
    backend: { type: 'string' },
    hidden: { type: 'string', default: '64' },
    batch: { type: 'string', default: '16' },
  },
});
const count = (name: string, text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`pnpm bench soak: --${name} must be a positive integer, got "${text}"`);
    process.exit(2);
  }
  return n;
};
const steps = count('steps', flags.steps!);
const decodes = count('decodes', flags.decodes!);
const backendName = (flags.backend ?? (nativeUnavailableReason() === undefined ? 'native' : 'wasm')) as 'native' | 'wasm' | 'cpu';
if (!['native', 'wasm', 'cpu'].includes(backendName)) {
  console.error(`pnpm bench soak: --backend must be native, wasm or cpu, got "${backendName}"`);
  process.exit(2);
}
const hidden = count('hidden', flags.hidden!);
const shape: BenchShape = {
  name: 'soak',
  vocab: 32,
  emb: 32,
  hidden,
  layers: 1,
  batch: count('batch', flags.batch!),
  sourceLen: 12,
  targetLen: 12,
  steps: 64,
  warmup: 0,
  decodeSources: 64,
  beam: 3,
  decodeWarmup: 1,
  decodeRepeats: 1,
  seed: 1,
};

await setBackend(backendName);
console.log(
  `pnpm bench soak — ${describeBackend()}; LSTM ${shape.emb}/${hidden} with attention, batch ${shape.batch}; ${steps} training steps, then ${decodes} decodes`,
);
const model = Seq2SeqModel.create(
  {
    task: 'seq2seq',
    cell: 'lstm',
    layers: 1,
    hiddenSize: hidden,
    embeddingSize: shape.emb,
    attention: 'general',
    bidirectional: true,
    inputFeeding: false,
    dropout: 0.1,
    embeddingDropout: 0,
    sourceVocabSize: shape.vocab,
    targetVocabSize: shape.vocab,
    padId: PAD,
    bosId: BOS,
    eosId: EOS,
    sourcePadId: PAD,
  },
  { seed: 1 },
);
const data = makeBenchData(shape);
const batches = data.batches.map(toBatch);

interface Sample {
  done: number;
  tensors: number;
  rssMiB: number;
}
const rss = () => process.memoryUsage().rss / 2 ** 20;
function sampler(total: number): { samples: Sample[]; maybe(done: number): void } {
  const samples: Sample[] = [];
  const every = Math.max(1, Math.floor(total / 10));
  return { samples, maybe: (done) => void (done % every === 0 && samples.push({ done, tensors: tf.memory().numTensors, rssMiB: rss() })) };
}

function verdict(what: string, samples: Sample[]): boolean {
  console.log(`${what}: ${samples.map((s) => `${s.done}: ${s.tensors} tensors ${s.rssMiB.toFixed(0)} MiB`).join(' | ')}`);
  const drift = samples.at(-1)!.tensors - samples[0]!.tensors;
  const half = Math.floor(samples.length / 2);
  const peak = (part: Sample[]) => Math.max(...part.map((s) => s.rssMiB));
  const [early, late] = [peak(samples.slice(0, half)), peak(samples.slice(half))];
  const growth = (late - early) / early;
  const flat = drift === 0 && growth <= 0.05;
  console.log(
    `${what}: live-tensor drift ${drift}; peak RSS first half ${early.toFixed(0)} MiB, second half ${late.toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${(100 * growth).toFixed(1)} %) — ${flat ? 'flat' : 'NOT FLAT'}`,
  );
  return flat;
}

const trainable = model.trainableWeights();
const optimizer = createOptimizer({ type: 'adam', learningRate: 1e-3 }, trainable);
const training = sampler(steps);
let started = performance.now();
for (let i = 1; i <= steps; i++) {
  const settings = { learningRate: 1e-3, clipNorm: 1, loss: { training: true, seed: i } };
  await trainStep(model, trainable, optimizer, batches[i % batches.length]!, settings);
  training.maybe(i);
}
console.log(`training: ${steps} steps in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const trainFlat = verdict('training', training.samples);

const stepModel = model.asStepModel();
const decoding = sampler(decodes);
const kinds = [{ strategy: 'greedy' }, { strategy: 'beam', beamWidth: 3, numReturn: 3 }, { strategy: 'sample', topP: 0.9, seed: 7 }] as const;
started = performance.now();
for (let i = 1; i <= decodes; i++) {
  const sources = data.decodeSources.slice((i * 4) % 60, ((i * 4) % 60) + 4);
  await generate(stepModel, sources, { ...kinds[i % kinds.length]!, maxNewTokens: shape.targetLen });
  decoding.maybe(i);
}
console.log(`decoding: ${decodes} decodes of 4 sources in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const decodeFlat = verdict('decoding', decoding.samples);
optimizer.dispose();
model.dispose();
process.exit(trainFlat && decodeFlat ? 0 : 1);
