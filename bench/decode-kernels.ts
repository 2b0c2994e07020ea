// `pnpm bench decode-kernels [--config A|B] [--threads N]`: µs per call of
// the kernels one decoder step runs, at greedy (64 rows) and beam-5 (320
// rows) sizes, to compare the single-threaded and threaded wasm builds
// kernel by kernel.
import * as tf from '@tensorflow/tfjs';
import { parseBenchOptions } from './lib/bench-options.js';
import { startBackend } from './lib/seqloom-side.js';

const options = parseBenchOptions(process.argv.slice(2));
const { shape } = options;
const backend = await startBackend(options.threads);
const H = shape.hidden;
const V = shape.vocab;

/** Median µs per call of `f` over 15 batches of 20 calls, after warm-up. */
function time(f: () => tf.TensorContainer): number {
  for (let i = 0; i < 30; i++) tf.dispose(f());
  const per: number[] = [];
  for (let b = 0; b < 15; b++) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) tf.dispose(f());
    per.push(((performance.now() - t) * 1000) / 20);
  }
  return per.sort((a, b) => a - b)[7]!;
}

console.log(`config ${shape.name} on ${backend}: µs per call (median), hidden ${H}, vocab ${V}`);
console.log('rows | matMul h·R | LSTM cell | out matMul+bias | gather 1 row/id | sigmoid [B,4H] | add [B,4H]');
for (const rows of [shape.decodeSources, shape.decodeSources * shape.beam]) {
  const h = tf.randomNormal([rows, H]) as tf.Tensor2D;
  const c = tf.randomNormal([rows, H]) as tf.Tensor2D;
  const x = tf.randomNormal([rows, 4 * H]) as tf.Tensor2D;
  const r = tf.randomNormal([rows, 4 * H]) as tf.Tensor2D;
  const recurrent = tf.randomNormal([H, 4 * H]) as tf.Tensor2D;
  const kernel = tf.randomNormal([H, V]) as tf.Tensor2D;
  const bias = tf.randomNormal([V]) as tf.Tensor1D;
  const ids = tf.tensor1d(
    Array.from({ length: rows }, (_, i) => (i * 7) % rows),
    'int32',
  );
  const cells = [
    time(() => tf.matMul(h, recurrent)),
    time(() => tf.engine().runKernel('SeqloomLstmCell', { x, r, c }, { full: false }) as tf.Tensor[]),
    time(() => tf.fused.matMul({ a: h, b: kernel, bias })),
    time(() => tf.gather(h, ids)),
    time(() => tf.sigmoid(x)),
    time(() => tf.add(x, r)),
  ];
  console.log(`${String(rows).padStart(4)} | ${cells.map((v) => v.toFixed(0).padStart(10)).join(' | ')}`);
  tf.dispose([h, c, x, r, recurrent, kernel, bias, ids]);
}
