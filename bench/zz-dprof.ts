import * as tf from '@tensorflow/tfjs';
import { generate } from '@seqloom/decode';
import { makeBenchData } from './lib/bench-data.js';
import { parseBenchOptions } from './lib/bench-options.js';
import { createBenchModel, startBackend } from './lib/seqloom-side.js';
const options = parseBenchOptions(process.argv.slice(2));
const { shape } = options;
await startBackend(options.threads);
const data = makeBenchData(shape, 1);
const model = createBenchModel(shape);
const sm = model.asStepModel();
const t = { start: 0, step: 0, reorder: 0, dispose: 0 };
const wrapped = { ...sm,
  start: async (s: any) => { const a = performance.now(); const r = await sm.start(s); t.start += performance.now() - a; return r; },
  step: async (s: any, p: any) => { const a = performance.now(); const r = await sm.step(s, p); t.step += performance.now() - a; return r; },
  reorder: (s: any, rows: any) => { const a = performance.now(); const r = sm.reorder(s, rows); t.reorder += performance.now() - a; return r; },
  dispose: (s: any) => { const a = performance.now(); sm.dispose(s); t.dispose += performance.now() - a; },
};
for (const strategy of ['greedy', 'beam'] as const) {
  await generate(wrapped, data.decodeSources, { strategy, beamWidth: 5, maxNewTokens: 20, minNewTokens: 20 });
  Object.assign(t, { start: 0, step: 0, reorder: 0, dispose: 0 });
  const a = performance.now();
  await generate(wrapped, data.decodeSources, { strategy, beamWidth: 5, maxNewTokens: 20, minNewTokens: 20 });
  const total = performance.now() - a;
  console.log(strategy, 'total', total.toFixed(1), 'ms', JSON.stringify(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, +v.toFixed(1)]))), 'loop', (total - t.start - t.step - t.reorder - t.dispose).toFixed(1));
}
const info = await tf.profile(async () => { await generate(sm, data.decodeSources, { strategy: 'beam', beamWidth: 5, maxNewTokens: 20, minNewTokens: 20 }); });
const by = new Map<string, number[]>();
for (const k of info.kernels) { const key = k.name + (k.name === 'BatchMatMul' ? JSON.stringify(k.inputShapes) : ''); const e = by.get(key) ?? [0, 0]; e[0] += Number(k.kernelTimeMs) || 0; e[1]++; by.set(key, e); }
console.log('beam kernels', info.kernels.length);
for (const [k, [ms, n]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 12)) console.log(ms.toFixed(1).padStart(7), String(n).padStart(5), k);
