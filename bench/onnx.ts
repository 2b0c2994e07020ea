// `pnpm bench onnx [--inputs 64] [--repeats 3] [--new-tokens 20] [--batches 1,16] [--models tiny-marian,…] [--cpu N] [--no-pin]
// [--python PATH] [--no-anchor]`: decoding speed of Hugging Face ONNX exports (packages/onnx/fixtures/tiny-*) in
// seqloom (@seqloom/onnx), transformers.js and Hugging Face generate() in PyTorch, on the same source ids, every
// output exactly --new-tokens long, each side on one thread pinned to one CPU; and where seqloom's time goes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ORT_FROM, packageVersion, ROOT } from './onnx/deps.js';
import { benchInputs } from './onnx/inputs.js';
import type { SideRequest, SideResult } from './onnx/protocol.js';
import { printRatios, printSameOutputs, printSpeeds, printSplits } from './onnx/report.js';
import { anchorMissing, anchorPython, canPin, type Pin, runAnchorSide, runNodeSide } from './onnx/run-side.js';

const FIXTURES = join(ROOT, 'packages', 'onnx', 'fixtures');

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '64' },
    repeats: { type: 'string', default: '3' },
    'new-tokens': { type: 'string', default: '20' },
    beam: { type: 'string', default: '5' },
    batches: { type: 'string', default: '1,16' },
    warmup: { type: 'string', default: '16' },
    models: { type: 'string' },
    seed: { type: 'string', default: '1' },
    cpu: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    python: { type: 'string' },
    'no-anchor': { type: 'boolean', default: false },
  },
});

function usage(message: string): never {
  console.error(`pnpm bench onnx: ${message}`);
  process.exit(2);
}
function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`--${flag} must be a positive integer, got "${text}"`);
  return n;
}

const count = positive('inputs', values.inputs);
const newTokens = positive('new-tokens', values['new-tokens']);
const beam = positive('beam', values.beam);
const warmup = Math.min(count, positive('warmup', values.warmup));
const repeats = positive('repeats', values.repeats);
const seed = positive('seed', values.seed);
const batches = values.batches.split(',').map((b) => positive('batches', b.trim()));
const available = readdirSync(FIXTURES)
  .filter((d) => d.startsWith('tiny-'))
  .sort();
const models = values.models === undefined ? available : values.models.split(',').map((m) => m.trim());
for (const m of models) if (!available.includes(m)) usage(`no fixture "${m}" in ${FIXTURES}; there are: ${available.join(', ') || 'none'}`);
if (models.length === 0) usage(`no tiny-* export folders in ${FIXTURES}; build them with packages/onnx/fixtures/build_fixtures.py`);
const cpuCount = availableParallelism();
const cpu = values.cpu === undefined ? cpuCount - 1 : Number(values.cpu);
if (!Number.isInteger(cpu) || cpu < 0 || cpu >= cpuCount) usage(`--cpu must be a CPU number from 0 to ${cpuCount - 1}, got "${values.cpu}"`);
const pin: Pin = values['no-pin'] ? undefined : cpu;
if (pin !== undefined && !canPin(pin))
  usage(`cannot pin to CPU ${pin}: \`taskset\` (util-linux) is missing or refused; install it, pick another --cpu, or give --no-pin`);
const python = anchorPython(values.python);
const missing = values['no-anchor'] ? undefined : anchorMissing(python);

/** "marian: d_model 32, 2+2 layers, vocab 154" from config.json (BART/Marian and T5 names). */
function describeModel(folder: string): string {
  const c = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, number | string | undefined>;
  const enc = c['encoder_layers'] ?? c['num_layers'];
  const dec = c['decoder_layers'] ?? c['num_decoder_layers'] ?? enc;
  return `${c['model_type']}: d_model ${c['d_model']}, ${enc}+${dec} layers, vocab ${c['vocab_size']}`;
}

async function runModel(name: string, dir: string): Promise<{ failed: boolean }> {
  const folder = resolve(FIXTURES, name);
  const { ids } = await benchInputs(folder, count, seed);
  const lens = ids.map((s) => s.length);
  const request: SideRequest = { folder, inputs: ids, newTokens, beam, batches, warmup, repeats };
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(request));
  console.log(
    `\n${name} (${describeModel(folder)}): ${count} inputs of ${Math.min(...lens)}–${Math.max(...lens)} source tokens ` +
      `(mean ${(lens.reduce((a, b) => a + b, 0) / lens.length).toFixed(1)}), ${newTokens} new tokens each (min = max), beam ${beam} → 1 returned, ${repeats === 1 ? 'one pass' : `fastest of ${repeats} passes`}, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const sides: [string, () => Promise<SideResult>][] = [
    ['seqloom (merged decoder)', () => runNodeSide(pin, 'seqloom-side.ts', file, { SEQLOOM_ONNX_DECODER: 'merged' })],
    ['seqloom (split decoder)', () => runNodeSide(pin, 'seqloom-side.ts', file, { SEQLOOM_ONNX_DECODER: 'split' })],
    ['transformers.js', () => runNodeSide(pin, 'transformers-js-side.ts', file)],
  ];
  if (!values['no-anchor'] && missing === undefined) sides.push(['PyTorch', () => runAnchorSide(pin, python, file)]);
  const results: SideResult[] = [];
  let failed = false;
  for (const [label, run] of sides) {
    try {
      results.push(await run()); // one after the other: each side has the CPU to itself
    } catch (error) {
      failed = true;
      console.log(`${label}: ${(error as Error).message}`);
    }
  }
  printSpeeds(results, beam);
  const seqloom = results.filter((r) => r.side.startsWith('seqloom'));
  printRatios(
    seqloom,
    results.filter((r) => !r.side.startsWith('seqloom')),
    batches,
    beam,
  );
  printSameOutputs(results.filter((r) => r.side !== 'PyTorch'));
  printSplits(results.filter((r) => r.side !== 'PyTorch'));
  for (const note of new Set(results.flatMap((r) => r.notes ?? []))) console.log(note);
  return { failed };
}

/** The anchor's versions: torch, its BLAS, transformers. */
function torchVersions(): string {
  if (values['no-anchor']) return 'PyTorch anchor off (--no-anchor)';
  if (missing !== undefined) return 'PyTorch —';
  const out = spawnSync(python, [join(ROOT, 'bench', 'anchors', 'hf_generate.py'), '--versions'], { encoding: 'utf8' });
  const v = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as Record<string, string>;
  return `torch ${v['torch']} (MKL ${v['mkl']}, ${v['blas']}), transformers ${v['transformers']} (Python ${v['python']}, ${python})`;
}
console.log(
  `pnpm bench onnx — ${models.join(', ')}; one thread per side, ${pin === undefined ? 'not pinned' : `every side pinned to CPU ${pin} (taskset), one after the other`}`,
);
console.log(
  `node ${process.version}, onnxruntime-node ${packageVersion('onnxruntime-node', ORT_FROM.seqloom)} (@seqloom/onnx) / ` +
    `${packageVersion('onnxruntime-node', ORT_FROM.transformersJs())} (transformers.js ${packageVersion('@huggingface/transformers', join(ROOT, 'tests'))}); ${torchVersions()}`,
);
console.log(`${cpuCount} cores (${cpus()[0]?.model ?? '?'}), ${new Date().toISOString()}`);
if (missing !== undefined) console.log(missing);
const dir = mkdtempSync(join(tmpdir(), 'seqloom-bench-onnx-'));
let failed = false;
try {
  for (const name of models) failed = (await runModel(name, dir)).failed || failed;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (missing !== undefined) {
  console.error(`\n${missing}`);
  process.exit(1);
}
if (failed) process.exit(1);
