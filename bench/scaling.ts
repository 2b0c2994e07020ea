// `pnpm bench scaling [--steps N] [--threads N]`: how one training step's cost
// grows with hidden size, sequence length and batch, seqloom against PyTorch
// (one thread), starting from config A and changing one dimension at a time.
import { makeBenchData } from './lib/bench-data.js';
import { type BenchShape, parseBenchOptions } from './lib/bench-options.js';
import { measureTraining, startBackend } from './lib/seqloom-side.js';
import { anchorUnavailable, runAnchor } from './lib/torch-anchor.js';

const options = parseBenchOptions(['--steps', '10', '--warmup', '3', ...process.argv.slice(2)]);
const base = options.shape;
const backend = await startBackend(options.threads);
const skipped = anchorUnavailable();
const variants: [string, Partial<BenchShape>][] = [
  ['A (hidden 256, length 20, batch 64)', {}],
  ['hidden 128', { hidden: 128 }],
  ['hidden 512', { hidden: 512 }],
  ['length 10', { sourceLen: 10, targetLen: 10 }],
  ['length 40', { sourceLen: 40, targetLen: 40 }],
  ['batch 32', { batch: 32 }],
  ['batch 128', { batch: 128 }],
];
console.log(`training step cost by shape (seqloom: ${backend}; PyTorch 1 thread), median of ${base.steps} steps`);
console.log('shape                                  seqloom ms  PyTorch ms  seqloom tok/s  PyTorch tok/s  ratio');
for (const [label, change] of variants) {
  const shape = { ...base, ...change, name: label };
  const data = makeBenchData(shape);
  const torch = skipped === undefined ? runAnchor(shape, data, 1, 'train') : undefined;
  const ours = await measureTraining(shape, data);
  const ratio = torch?.trainTokPerSec === undefined ? '—' : `${(ours.trainTokPerSec / torch.trainTokPerSec).toFixed(2)}×`;
  console.log(
    `${label.padEnd(38)} ${ours.msPerStep.toFixed(0).padStart(10)}  ${(torch?.msPerStep?.toFixed(0) ?? '—').padStart(10)}  ` +
      `${ours.trainTokPerSec.toFixed(0).padStart(13)}  ${(torch?.trainTokPerSec?.toFixed(0) ?? '—').padStart(13)}  ${ratio.padStart(5)}`,
  );
}
if (skipped !== undefined) console.log(skipped);
