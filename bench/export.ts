// `pnpm bench export [--inputs 200] [--new-tokens 20] [--beam 5] [--batches 1,16] [--hidden 256] [--embedding 64]
// [--layers 1] [--cpu N] [--no-pin]`: decoding speed of one model in seqloom (native engine when built, else wasm)
// and of its ONNX export (seqloom export --format onnx) on onnxruntime-node, same inputs, every output exactly
// --new-tokens long, greedy and beam search, each side in its own process on one thread pinned to one CPU.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Seq2SeqModel, saveCheckpoint, setBackend } from '@seqloom/seq2seq';
import { tokenizerFromJson, trainCharTokenizer } from '@seqloom/tokenizer';
import { exportOnnx } from '../packages/onnx/src/export/index.js';
import { type ExportBenchRequest, type ExportBenchResult, writeRequest } from './export/protocol.js';
import { ROOT } from './export/versions.js';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '200' },
    'new-tokens': { type: 'string', default: '20' },
    beam: { type: 'string', default: '5' },
    batches: { type: 'string', default: '1,16' },
    warmup: { type: 'string', default: '16' },
    hidden: { type: 'string', default: '256' },
    embedding: { type: 'string', default: '64' },
    layers: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    cpu: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
  },
});

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`pnpm bench export: --${flag} must be a positive integer, got "${text}"`);
    process.exit(2);
  }
  return n;
}

const count = positive('inputs', values.inputs);
const newTokens = positive('new-tokens', values['new-tokens']);
const beam = positive('beam', values.beam);
const batches = values.batches.split(',').map((b) => positive('batches', b.trim()));
const cpu = values.cpu === undefined ? availableParallelism() - 1 : Number(values.cpu);
const pin = values['no-pin'] ? undefined : cpu;
if (pin !== undefined && spawnSync('taskset', ['-c', String(pin), 'true'], { stdio: 'ignore' }).status !== 0) {
  console.error(`pnpm bench export: cannot pin to CPU ${pin} with taskset; pick another --cpu or give --no-pin`);
  process.exit(2);
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz'-.";
const PHONES = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn';

/** Seeded words of 4–12 letters, as G2P sources. */
function words(n: number, seed: number): string[] {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 0x1_0000_0000;
  return Array.from({ length: n }, () => Array.from({ length: 4 + Math.floor(next() * 9) }, () => LETTERS[Math.floor(next() * 26)]).join(''));
}

/** A model of the G2P recipe's shape with seeded random weights, saved and exported into `dir`. */
async function prepare(dir: string): Promise<{ request: ExportBenchRequest; shape: string }> {
  await setBackend('wasm');
  const source = tokenizerFromJson(await trainCharTokenizer([LETTERS]), {});
  const target = tokenizerFromJson(await trainCharTokenizer([PHONES]), {});
  const config = {
    cell: 'lstm',
    layers: positive('layers', values.layers),
    bidirectional: true,
    attention: 'general',
    inputFeeding: false,
    hiddenSize: positive('hidden', values.hidden),
    embeddingSize: positive('embedding', values.embedding),
    sourceVocabSize: source.vocabSize,
    targetVocabSize: target.vocabSize,
    padId: target.padId,
    bosId: target.bosId,
    eosId: target.eosId,
    sourcePadId: source.padId,
  } as const;
  const model = Seq2SeqModel.create(config, { seed: positive('seed', values.seed) });
  const checkpoint = join(dir, 'checkpoint');
  await saveCheckpoint(checkpoint, { model, tokenizers: { source, target } });
  model.dispose();
  const exported = join(dir, 'onnx');
  await exportOnnx(checkpoint, exported);
  const inputs = words(count, 7).map((w) => source.encode(w));
  const lens = inputs.map((s) => s.length);
  const shape =
    `${config.cell}, ${config.layers} layer(s), bidirectional encoder, ${config.attention} attention, no input feeding, hidden ${config.hiddenSize}, ` +
    `embedding ${config.embeddingSize}, vocab ${source.vocabSize} → ${target.vocabSize}; ${count} inputs of ${Math.min(...lens)}–${Math.max(...lens)} tokens`;
  return { request: { checkpoint, exported, inputs, newTokens, beam, batches, warmup: Math.min(count, positive('warmup', values.warmup)) }, shape };
}

/** Runs bench/export/side.ts for `side` in its own process (pinned), one thread for every pool. */
function runSide(side: string, requestFile: string): Promise<ExportBenchResult> {
  const args = ['--conditions=source', '--import', 'tsx', join(ROOT, 'bench', 'export', 'side.ts'), '--side', side, '--request', requestFile];
  const [command, argv] = pin === undefined ? [process.execPath, args] : ['taskset', ['-c', String(pin), process.execPath, ...args]];
  const env = { ...process.env, NODE_OPTIONS: '', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let [out, err] = ['', ''];
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as ExportBenchResult);
      else reject(new Error(`side ${side} failed (exit ${code}): ${err.trim().split('\n').slice(-6).join('\n')}`));
    });
  });
}

function report(seqloom: ExportBenchResult, ort: ExportBenchResult): void {
  const f = (x: number) => x.toFixed(1).padStart(9);
  const width = Math.max(seqloom.side.length, ort.side.length) + 2;
  console.log(`\n${'side'.padEnd(width)}${'batch'.padStart(6)}${'greedy/s'.padStart(10)}${`beam ${beam}/s`.padStart(10)}`);
  for (const r of [seqloom, ort])
    for (const row of r.rows) console.log(`${r.side.padEnd(width)}${String(row.batch).padStart(6)} ${f(row.greedy)} ${f(row.beam)}`);
  console.log('\nonnxruntime ÷ seqloom (sentences/s; > 1: onnxruntime is faster)');
  seqloom.rows.forEach((row, i) => {
    const other = ort.rows[i]!;
    console.log(
      `  batch ${String(row.batch).padStart(3)}: greedy ${(other.greedy / row.greedy).toFixed(2)}×, beam ${beam} ${(other.beam / row.beam).toFixed(2)}×; same outputs: ${row.digest === other.digest ? 'yes' : 'NO'}`,
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'seqloom-bench-export-'));
try {
  const { request, shape } = await prepare(dir);
  const file = join(dir, 'request.json');
  writeRequest(file, request);
  console.log(
    `pnpm bench export — seqloom vs onnxruntime-node on its ONNX export; one thread per side, ${pin === undefined ? 'not pinned' : `each pinned to CPU ${pin} (taskset), one after the other`}`,
  );
  console.log(
    `${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${new Date().toISOString()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`model: ${shape}, ${newTokens} new tokens each (min = max), beam ${beam} → 1 returned`);
  const seqloom = await runSide('seqloom', file);
  const ort = await runSide('onnxruntime', file);
  console.log(`versions: ${JSON.stringify(seqloom.versions)} / ${JSON.stringify(ort.versions)}`);
  report(seqloom, ort);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
