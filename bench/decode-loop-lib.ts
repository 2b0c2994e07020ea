// Loop-overhead benchmark for @seqloom/decode: time spent outside the model
// (processors, log-softmax, selection, bookkeeping) per decoding step.
import { createRng, generate, type GenerateOptions, type StepModel } from '../packages/decode/src/index.js';
import { logSumExp } from '../packages/decode/src/log-softmax.js';

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
  constructor(readonly vocabSize: number, seed: number) {
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

/** Fastest time of one log-softmax over a row of `vocabSize` logits, in µs. */
function logSoftmaxFloorUs(vocabSize: number): number {
  const row = new Float32Array(vocabSize).map((_, i) => Math.sin(i) * 3);
  const out = new Float64Array(vocabSize);
  let best = Infinity;
  for (let rep = 0; rep < 20; rep++) {
    const t = cpuMs();
    for (let i = 0; i < 20; i++) {
      const shift = logSumExp(row);
      for (let v = 0; v < vocabSize; v++) out[v] = row[v] - shift;
    }
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
    cases.push({ name: 'sample t0.8 top-k 50 top-p 0.95', vocabSize, batch: 8, options: { ...base, strategy: 'sample', temperature: 0.8, topK: 50, topP: 0.95, seed: 1 } });
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
    name: c.name, vocabSize: c.vocabSize, batch: c.batch, steps,
    overheadUsPerStep: median(perStep), minUsPerStep: Math.min(...perStep),
    overheadUsPerRowStep: perRowUs, rowOverLogSoftmax: perRowUs / floorUs,
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
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} expects a positive integer, got ${argv[i + 1]}`);
  return v;
}

/**
 * Run the benchmark: `--steps N` tokens per run (default 32), `--repeats R`
 * timed runs per case after one warm-up (default 5), `--small` for the
 * vocabulary-64 cases only, `--json` to print JSON.
 */
export async function runDecodeLoopBench(argv: readonly string[]): Promise<DecodeLoopFigure[]> {
  const steps = flag(argv, 'steps', 32);
  const repeats = flag(argv, 'repeats', 5);
  const figures: DecodeLoopFigure[] = [];
  const floors = new Map<number, number>();
  for (const c of defaultCases(steps).filter((c) => !argv.includes('--small') || c.vocabSize === 64)) {
    if (!floors.has(c.vocabSize)) floors.set(c.vocabSize, logSoftmaxFloorUs(c.vocabSize));
    figures.push(await measure(c, repeats, floors.get(c.vocabSize)!));
  }
  if (argv.includes('--json')) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    console.log(`decode loop overhead (CPU time outside model.step), ${steps} steps, median of ${repeats} runs, node ${process.version}`);
    console.log('vocab  | batch | case                              | µs/step median | µs/step min | µs/row-step | × one log-softmax');
    for (const f of figures) {
      console.log(
        `${String(f.vocabSize).padEnd(6)} | ${String(f.batch).padEnd(5)} | ${f.name.padEnd(33)} | ${f.overheadUsPerStep.toFixed(1).padStart(14)} | ` +
          `${f.minUsPerStep.toFixed(1).padStart(11)} | ${f.overheadUsPerRowStep.toFixed(1).padStart(11)} | ${f.rowOverLogSoftmax.toFixed(1).padStart(6)}`,
      );
    }
    for (const [v, us] of floors) console.log(`one log-softmax of ${v} logits: ${us.toFixed(1)} µs (fastest of 20)`);
  }
  return figures;
}
