// Products of varied shapes on the addon (argv[2]) in a loop, for a process
// run under `node --cpu-prof` (V8's sampling profiler sends SIGPROF to this
// thread many times a product). Prints "ok" when every product returned.
import { createRequire } from 'node:module';

const addon = createRequire(import.meta.url)(process.argv[2]);
const rounds = Number(process.argv[3] ?? 2000);
addon.setThreads(1, 0);
let seed = 1;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const a = new Float32Array(600 * 600).fill(0.5);
const b = new Float32Array(600 * 600).fill(0.25);
const c = new Float32Array(600 * 600);
for (let i = 0; i < rounds; i++) {
  const m = 1 + rand(300);
  const k = 16 + rand(500);
  const n = 16 + rand(500);
  addon.sgemm(rand(2) === 1, false, 1, m, n, k, 1, a, 0, b, 0, 0, c);
}
console.log('ok');
