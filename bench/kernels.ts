// `pnpm bench kernels [--threads N]`: GFLOP/s of wasm matMul in its transpose
// forms and the cost of unstack() over a sequence, with the stock kernels and
// with registerSeqloomWasmKernels(). --threads N (1–4) runs the threaded wasm
// build with an N-thread pool; without it, the stock single-threaded build.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerSeqloomWasmKernels } from '@seqloom/seq2seq/kernels';
import { registerThreadedWasmBackend, threadedWasmThreads } from '@seqloom/seq2seq/parallel';

function timeMs(fn: () => tf.Tensor | tf.Tensor[], reps: number): number {
  for (let i = 0; i < 2; i++) tf.dispose(fn());
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = [fn()].flat();
    out[0]!.dataSync();
    tf.dispose(out);
  }
  return (performance.now() - start) / reps;
}

function measure(label: string): void {
  const [m, k, n] = [1280, 256, 1024];
  const forms: [string, boolean, boolean][] = [
    ['plain', false, false],
    ['transposeA', true, false],
    ['transposeB', false, true],
  ];
  for (const [name, ta, tb] of forms) {
    const a = tf.randomNormal(ta ? [k, m] : [m, k]);
    const b = tf.randomNormal(tb ? [n, k] : [k, n]);
    const ms = timeMs(() => tf.matMul(a, b, ta, tb), 5);
    console.log(
      `${label.padEnd(8)} matMul ${name.padEnd(11)} [${m}x${k}]·[${k}x${n}] ${ms.toFixed(1).padStart(7)} ms ${((2 * m * k * n) / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s`,
    );
    tf.dispose([a, b]);
  }
  const seq = tf.randomNormal([20, 64, 1024]);
  const ms = timeMs(() => tf.unstack(seq), 10);
  console.log(`${label.padEnd(8)} unstack [20x64x1024] into 20 slices ${ms.toFixed(2)} ms`);
  seq.dispose();
}

const flag = process.argv.indexOf('--threads');
if (flag >= 0) await registerThreadedWasmBackend({ threads: Number(process.argv[flag + 1]) });
await tf.setBackend('wasm');
console.log(`wasm backend, ${flag >= 0 ? `threaded build, ${threadedWasmThreads()} threads` : 'single-threaded SIMD build'}`);
measure('stock');
registerSeqloomWasmKernels();
measure('seqloom');
