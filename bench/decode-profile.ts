// `pnpm bench decode-profile [--config A|B] [--threads N]`: where one greedy
// and one beam decoding run spend their time: model.start (encoder), model.step
// (kernels by name, via tf.profile on one run), model.reorder, and the decode
// loop's own JS (the rest). Use it to find the next thing to optimise.

import { type GenerateOptions, generate, type StepModel } from '@seqloom/decode';
import * as tf from '@tensorflow/tfjs';
import { makeBenchData } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
import { createBenchModel, startBackend } from './lib/seqloom-side.js';

const options = parseBenchOptions(process.argv.slice(2));
const { shape } = options;
const backend = await startBackend(options.threads);
const data = makeBenchData(shape);
const model = createBenchModel(shape);
const inner = model.asStepModel();

const spent = { start: 0, step: 0, reorder: 0, dispose: 0, steps: 0, reorders: 0 };
function timed<S>(m: StepModel<S>): StepModel<S> {
  return {
    ...m,
    start: async (sources) => {
      const t = performance.now();
      const s = await m.start(sources);
      spent.start += performance.now() - t;
      return s;
    },
    step: async (state, previous) => {
      const t = performance.now();
      const out = await m.step(state, previous);
      spent.step += performance.now() - t;
      spent.steps++;
      return out;
    },
    reorder: (state, rows) => {
      const t = performance.now();
      const out = m.reorder(state, rows);
      spent.reorder += performance.now() - t;
      spent.reorders++;
      return out;
    },
    dispose: (state) => {
      const t = performance.now();
      m.dispose(state);
      spent.dispose += performance.now() - t;
    },
  };
}

const base = { maxNewTokens: shape.targetLen, minNewTokens: shape.targetLen };
const cases: [string, GenerateOptions][] = [
  ['greedy', { ...base, strategy: 'greedy' }],
  [`beam-${shape.beam}`, { ...base, strategy: 'beam', beamWidth: shape.beam }],
];
console.log(`config ${shape.name} on ${backend}: ${shape.decodeSources} sources, ${shape.targetLen} steps`);
for (const [name, opts] of cases) {
  const m = timed(inner);
  for (let i = 0; i < 2; i++) await generate(m, data.decodeSources, opts); // warm-up
  const repeats = 3;
  Object.assign(spent, { start: 0, step: 0, reorder: 0, dispose: 0, steps: 0, reorders: 0 });
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) await generate(m, data.decodeSources, opts);
  const wall = (performance.now() - t0) / repeats;
  const per = (x: number) => (x / repeats).toFixed(1).padStart(7);
  const loop = wall - (spent.start + spent.step + spent.reorder + spent.dispose) / repeats;
  console.log(`\n${name}: ${wall.toFixed(1)} ms per run (${(shape.decodeSources / (wall / 1000)).toFixed(0)} sent/s)`);
  console.log(
    `  start ${per(spent.start)} ms | step ${per(spent.step)} ms (${spent.steps / repeats}×) | reorder ${per(spent.reorder)} ms (${spent.reorders / repeats}×) | dispose ${per(spent.dispose)} | loop JS ${loop.toFixed(1)} ms`,
  );
  const info = await tf.profile(async () => {
    await generate(inner, data.decodeSources, opts);
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.calls += 1;
    byKernel.set(key, entry);
  }
  const kernelMs = [...byKernel.values()].reduce((a, e) => a + e.ms, 0);
  console.log(`  under tf.profile: ${info.kernels.length} kernels, ${kernelMs.toFixed(1)} ms inside kernels`);
  for (const [key, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.TOP ?? 14))) {
    console.log(
      `  ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / kernelMs).toFixed(1).padStart(5)} % ${String(e.calls).padStart(5)}×  ${key.slice(0, 110)}`,
    );
  }
}
