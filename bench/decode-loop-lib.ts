// Loop-overhead benchmark for @seqloom/decode: time spent outside the model
// (processors, log-softmax, selection, bookkeeping) per decoding step.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type GenerateOptions, generate, type StepModel } from '../packages/decode/src/index.js';
import { logSoftmaxInto } from '../packages/decode/src/log-softmax.js';
import { setSimdEnabled } from '../packages/decode/src/simd/simd-row.js';
import { type AnchorPython, anchorLine, findAnchorPython } from './lib/anchor-python.js';
import { canPin, cpuList, pinned, pinSelf } from './lib/pin.js';

/**
 * Process CPU time in ms (user + system). Used instead of wall time so that
 * other load on the machine disturbs the figures less; the loop is single-threaded.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A model whose step returns precomputed logits at once, timing its own calls. */
class InstantModel implements StepModel<number> {
  readonly bosId = 1;
  readonly eosId = 2;
  readonly padId = 0;
  modelMs = 0;
  steps = 0;
  private readonly row: Float32Array;
  private readonly cache = new Map<number, Float32Array>();
  constructor(
    readonly vocabSize: number,
    seed: number,
  ) {
    const rng = createRng(seed);
    this.row = new Float32Array(vocabSize);
    for (let v = 0; v < vocabSize; v++) {
      // Standard normal logits (Box–Muller), scaled like a trained model's.
      this.row[v] = 3 * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    }
    this.row[this.eosId] = -50; // never stop early: every run takes maxNewTokens steps
  }
  async start(sources: readonly (readonly number[])[]): Promise<number> {
    return sources.length;
  }
  async step(rows: number): Promise<{ logits: Float32Array; state: number }> {
    const t = cpuMs();
    let logits = this.cache.get(rows);
    if (!logits) {
      logits = new Float32Array(rows * this.vocabSize);
      for (let r = 0; r < rows; r++) logits.set(this.row, r * this.vocabSize);
      this.cache.set(rows, logits);
    }
    this.steps++;
    this.modelMs += cpuMs() - t;
    return { logits, state: rows };
  }
  reorder(_state: number, rows: Int32Array): number {
    return rows.length;
  }
  dispose(): void {}
}

export interface DecodeLoopCase {
  name: string;
  vocabSize: number;
  batch: number;
  options: GenerateOptions;
}

export interface DecodeLoopFigure {
  name: string;
  vocabSize: number;
  batch: number;
  steps: number;
  /** Median over repeats of the loop's CPU time outside model.step, per step, in µs. */
  overheadUsPerStep: number;
  /** Fastest run's figure, per step, in µs (less disturbed by other load on the machine). */
  minUsPerStep: number;
  /** Median per live row (a beam step of batch 8, width 5 has 40 rows), in µs. */
  overheadUsPerRowStep: number;
  /** Per-row overhead over the cost of one plain log-softmax of a row (the floor of any decoder). */
  rowOverLogSoftmax: number;
}

/** Fastest time of one log-softmax (the package's `logSoftmaxInto`, float32 out) over a row of `vocabSize` logits, in µs. */
function logSoftmaxFloorUs(vocabSize: number): number {
  const row = new Float32Array(vocabSize).map((_, i) => Math.sin(i) * 3);
  const out = new Float32Array(vocabSize);
  let best = Infinity;
  for (let rep = 0; rep < 20; rep++) {
    const t = cpuMs();
    for (let i = 0; i < 20; i++) logSoftmaxInto(row, out);
    best = Math.min(best, ((cpuMs() - t) * 1000) / 20);
  }
  return best;
}

/**
 * The cases the issue asks for, at vocabulary 1,000 and 32,000, batch 8; and
 * greedy and beam-5 at `pnpm bench decode`'s shape (vocabulary 64, batch 64).
 */
export function defaultCases(steps: number): DecodeLoopCase[] {
  const cases: DecodeLoopCase[] = [];
  const small = { maxNewTokens: steps, minNewTokens: steps };
  cases.push({ name: 'greedy', vocabSize: 64, batch: 64, options: { ...small } });
  cases.push({ name: 'beam 5', vocabSize: 64, batch: 64, options: { ...small, strategy: 'beam', beamWidth: 5 } });
  for (const vocabSize of [1000, 32000]) {
    const base = { maxNewTokens: steps };
    cases.push({ name: 'greedy', vocabSize, batch: 8, options: { ...base } });
    cases.push({ name: 'beam 5', vocabSize, batch: 8, options: { ...base, strategy: 'beam', beamWidth: 5 } });
    cases.push({ name: 'sample top-p 0.9', vocabSize, batch: 8, options: { ...base, strategy: 'sample', topP: 0.9, seed: 1 } });
    cases.push({
      name: 'sample t0.8 top-k 50 top-p 0.95',
      vocabSize,
      batch: 8,
      options: { ...base, strategy: 'sample', temperature: 0.8, topK: 50, topP: 0.95, seed: 1 },
    });
  }
  return cases;
}

async function measure(c: DecodeLoopCase, repeats: number, floorUs: number): Promise<DecodeLoopFigure> {
  const sources = Array.from({ length: c.batch }, (_, i) => [i]);
  const perStep: number[] = [];
  const perRow: number[] = [];
  let steps = 0;
  for (let i = 0; i <= repeats; i++) {
    const model = new InstantModel(c.vocabSize, 7);
    let rowSteps = 0;
    const inner = model.step.bind(model);
    model.step = async (rows: number) => {
      rowSteps += rows;
      return inner(rows);
    };
    const t = cpuMs();
    await generate(model, sources, c.options);
    const overhead = cpuMs() - t - model.modelMs;
    if (i === 0) continue; // warm-up
    steps = model.steps;
    perStep.push((overhead * 1000) / model.steps);
    perRow.push((overhead * 1000) / rowSteps);
  }
  const perRowUs = median(perRow);
  return {
    name: c.name,
    vocabSize: c.vocabSize,
    batch: c.batch,
    steps,
    overheadUsPerStep: median(perStep),
    minUsPerStep: Math.min(...perStep),
    overheadUsPerRowStep: perRowUs,
    rowOverLogSoftmax: perRowUs / floorUs,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function flag(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(argv[i + 1]);
  if (!Number.isInteger(v) || v < (name === 'cpu' ? 0 : 1))
    throw new Error(`--${name} expects a ${name === 'cpu' ? 'CPU number' : 'positive integer'}, got ${argv[i + 1]}`);
  return v;
}

function textFlag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
}

/** PyTorch's figures for the same per-row work (bench/anchors/torch_decode_loop.py). */
interface TorchFigures {
  torch: string;
  threads: number;
  logSoftmaxUs: number;
  greedyUsPerRow: number;
  beamUsPerRow: number;
  topkUsPerRow: number;
  topPUsPerRow: number;
}

const ANCHOR_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'anchors', 'torch_decode_loop.py');

function runTorch(anchor: AnchorPython, cpus: string | undefined, vocabSize: number): TorchFigures {
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const [command, args] = pinned(cpus, anchor.python, [ANCHOR_SCRIPT, '--vocab', String(vocabSize), '--threads', '1']);
  const run = spawnSync(command, args, { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`PyTorch anchor (${ANCHOR_SCRIPT}) failed (exit ${run.status}): ${run.stderr.trim()}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as TorchFigures;
}

/**
 * Run the benchmark: `--steps N` tokens per run (default 32), `--repeats R`
 * timed runs per case after one warm-up (default 5), `--small` for the
 * vocabulary-64 cases only, `--json` to print JSON. Every thread of this
 * process, and then the PyTorch anchor (`--anchor-python PATH`, else the
 * newest torch found, see bench/lib/anchor-python.ts; `--no-anchor` to skip),
 * is pinned to one CPU (`--cpu N`, default the last; `--no-pin` not to pin).
 * `--plain` switches the decoder's WebAssembly SIMD kernels off (its plain
 * TypeScript path, for comparison).
 */
export async function runDecodeLoopBench(argv: readonly string[]): Promise<DecodeLoopFigure[]> {
  const plain = argv.includes('--plain');
  setSimdEnabled(!plain);
  const steps = flag(argv, 'steps', 32);
  const repeats = flag(argv, 'repeats', 5);
  const cpus = argv.includes('--no-pin') ? undefined : cpuList(1, flag(argv, 'cpu', -1) < 0 ? undefined : flag(argv, 'cpu', 0));
  if (cpus !== undefined) {
    if (!canPin(cpus)) throw new Error(`cannot pin to CPU ${cpus} with taskset; give another --cpu or --no-pin`);
    pinSelf(cpus);
  }
  const small = argv.includes('--small');
  const anchor = argv.includes('--no-anchor') || small ? 'skipped (--no-anchor)' : findAnchorPython(textFlag(argv, 'anchor-python'));
  const figures: DecodeLoopFigure[] = [];
  const floors = new Map<number, number>();
  for (const c of defaultCases(steps).filter((c) => !small || c.vocabSize === 64)) {
    if (!floors.has(c.vocabSize)) floors.set(c.vocabSize, logSoftmaxFloorUs(c.vocabSize));
    figures.push(await measure(c, repeats, floors.get(c.vocabSize)!));
  }
  const torch = typeof anchor === 'string' ? undefined : runTorch(anchor, cpus, 32000);
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ figures, torch }, null, 2));
    return figures;
  }
  const where = cpus === undefined ? 'not pinned' : `every thread pinned to CPU ${cpus} (taskset)`;
  const path = plain ? 'plain TypeScript (--plain)' : 'WebAssembly SIMD kernels where available';
  console.log(`decode loop overhead (CPU time outside model.step), ${steps} steps, median of ${repeats} runs, node ${process.version}, ${where}, ${path}`);
  console.log('vocab  | batch | case                              | µs/step median | µs/step min | µs/row-step | × one log-softmax');
  for (const f of figures) {
    console.log(
      `${String(f.vocabSize).padEnd(6)} | ${String(f.batch).padEnd(5)} | ${f.name.padEnd(33)} | ${f.overheadUsPerStep.toFixed(1).padStart(14)} | ` +
        `${f.minUsPerStep.toFixed(1).padStart(11)} | ${f.overheadUsPerRowStep.toFixed(1).padStart(11)} | ${f.rowOverLogSoftmax.toFixed(1).padStart(6)}`,
    );
  }
  for (const [v, us] of floors) console.log(`one log-softmax of ${v} logits: ${us.toFixed(1)} µs (fastest of 20)`);
  if (torch === undefined || typeof anchor === 'string') {
    console.log(`PyTorch anchor: ${String(anchor)}`);
    return figures;
  }
  const at = (name: string) => figures.find((f) => f.vocabSize === 32000 && f.name === name)?.overheadUsPerRowStep ?? NaN;
  const rows: [string, number, number][] = [
    ['log-softmax of one row (µs)', floors.get(32000) ?? NaN, torch.logSoftmaxUs],
    ['greedy, per row-step (µs)', at('greedy'), torch.greedyUsPerRow],
    ['beam 5, per row-step (µs)', at('beam 5'), torch.beamUsPerRow],
    ['sample top-p 0.9, per row-step (µs)', at('sample top-p 0.9'), torch.topPUsPerRow],
  ];
  console.log(`\nanchor: ${anchorLine(anchor)}; ${torch.threads} thread, ${cpus === undefined ? 'not pinned' : `pinned to CPU ${cpus}`}`);
  console.log('vocab 32000                           seqloom   PyTorch   PyTorch ÷ seqloom (>1: seqloom faster)');
  for (const [label, ours, theirs] of rows) {
    console.log(`${label.padEnd(36)} ${ours.toFixed(1).padStart(8)}  ${theirs.toFixed(1).padStart(8)}   ${(theirs / ours).toFixed(2)}×`);
  }
  console.log(
    `(PyTorch: log_softmax + argmax for greedy; log_softmax + topk(10) over 5 beams for beam (topk alone ${torch.topkUsPerRow.toFixed(1)} µs/row); ` +
      'HF TopPLogitsWarper + softmax + multinomial for top-p)',
  );
  return figures;
}
