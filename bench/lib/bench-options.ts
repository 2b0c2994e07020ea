import { parseArgs } from 'node:util';

/** Model and workload shape shared by seqloom and the PyTorch anchor. */
export interface BenchShape {
  name: string;
  vocab: number;
  emb: number;
  hidden: number;
  layers: number;
  batch: number;
  sourceLen: number;
  targetLen: number;
  /** Measured training steps (after warm-up). */
  steps: number;
  warmup: number;
  /** Sources decoded per run, each of length sourceLen; every sentence runs targetLen steps. */
  decodeSources: number;
  beam: number;
  /** Decoding runs before the timed ones, on both sides. */
  decodeWarmup: number;
  decodeRepeats: number;
  seed: number;
}

/** Everything a bench script was asked for. */
export interface BenchOptions {
  shape: BenchShape;
  /** Write the figures to this file as JSON. */
  json?: string;
  /** Run seqloom on the threaded wasm build with this many threads (default: single-threaded build). */
  threads?: number;
  /** Train / decode on a TrainingPool / DecodingPool of this many threads (default: the calling thread alone). */
  pool?: number;
  /** Skip the PyTorch anchor. */
  noAnchor: boolean;
  /** Thread settings the anchor runs with (default: one, --cores of them). */
  anchorThreads: number[];
  /** The anchor's Python (`--anchor-python PATH`); default: the newest torch found (bench/lib/anchor-python.ts). */
  anchorPython?: string;
  /** CPUs both sides are pinned to, every thread (`--cores N`, default 1; the last N CPUs, or ending at `--cpu N`). */
  cores: number;
  /** The last CPU of the pinned set (default: the machine's last). */
  cpu?: number;
  /** False with `--no-pin`: nothing is pinned. */
  pin: boolean;
  /** seqloom's backend: native (default when its addon is built), wasm or cpu. */
  backend?: 'native' | 'wasm' | 'cpu';
  /** Print ratios even when the anchor runs on a generic OpenBLAS kernel. */
  allowGenericBlas: boolean;
  /** Decode on the tfjs-op step path even where the backend offers a fused decoder step (`--tensor-step`). */
  tensorStep: boolean;
}

const CONFIGS: Record<string, Partial<BenchShape>> = {
  A: { vocab: 64, emb: 128, hidden: 256, layers: 1, batch: 64, sourceLen: 20, targetLen: 20 },
  B: { vocab: 64, emb: 128, hidden: 512, layers: 2, batch: 64, sourceLen: 20, targetLen: 20 },
};

export const USAGE = `flags: --config A|B (default A) and, to override its shape, --vocab N --emb N --hidden N
  --layers N --batch N --source-len N --target-len N; --steps N (measured, default 20) --warmup N (5)
  --decode-sources N (64) --beam N (5) --decode-warmup N (10) --decode-repeats N (15) --seed N; --backend native|wasm|cpu (default:
  native when built, else wasm); --threads N (native: BLAS threads; wasm: the threaded build); --pool N (a
  TrainingPool / DecodingPool of N threads); --no-anchor; --anchor-python PATH (default: the newest torch found: the
  wheel-store venv, else Debian's); --anchor-threads 1,2 (default: --cores); --cores N (default 1: every thread of both
  sides pinned to one CPU with taskset; 2 for the two-core comparison) --cpu N (the last pinned CPU; default the
  machine's last) --no-pin; --allow-generic-blas; --tensor-step (decode: tfjs ops per step instead of the
  backend's fused decoder step); --json FILE`;

const NUMERIC = [
  'vocab',
  'emb',
  'hidden',
  'layers',
  'batch',
  'source-len',
  'target-len',
  'steps',
  'warmup',
  'decode-sources',
  'beam',
  'decode-warmup',
  'decode-repeats',
  'seed',
  'threads',
  'pool',
  'cores',
  'cpu',
] as const;
/** Flags that are not part of the workload's shape. */
const NOT_SHAPE = ['threads', 'pool', 'cores', 'cpu'];

function camel(flag: string): string {
  return flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Parses the shared bench flags; exits with a usage message on a bad flag. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const options = Object.fromEntries(NUMERIC.map((f) => [f, { type: 'string' as const }]));
  // biome-ignore lint/suspicious/noImplicitAnyLet: the type is parseArgs' result for the options written inline below
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...options,
        config: { type: 'string', default: 'A' },
        json: { type: 'string' },
        'no-anchor': { type: 'boolean', default: false },
        'anchor-threads': { type: 'string' },
        'anchor-python': { type: 'string' },
        'no-pin': { type: 'boolean', default: false },
        backend: { type: 'string' },
        'allow-generic-blas': { type: 'boolean', default: false },
        'tensor-step': { type: 'boolean', default: false },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const config = String(parsed['config']).toUpperCase();
  const base = CONFIGS[config];
  if (base === undefined) {
    console.error(`--config ${String(parsed['config'])}: expected A or B.\n${USAGE}`);
    process.exit(2);
  }
  const shape: Record<string, number | string> = {
    name: config,
    steps: 20,
    warmup: 5,
    decodeSources: 64,
    beam: 5,
    // the median of 15 runs after 10 warm-up runs, on both sides: V8 is still optimising the decode loop over its first
    // runs (config A greedy on two cores, 7 Dec 2026: runs 1–8 at 28–46 ms, then 12–20 ms), so one warm-up run and the
    // median of three measured the warm-up (config A greedy 0.67–0.71× PyTorch), and one and fifteen sat on its edge
    decodeWarmup: 10,
    decodeRepeats: 15,
    seed: 1234,
    ...base,
  };
  let custom = false;
  for (const flag of NUMERIC) {
    const raw = parsed[flag];
    if (raw === undefined || NOT_SHAPE.includes(flag)) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (flag === 'warmup' || flag === 'decode-warmup' ? 0 : 1)) {
      console.error(`--${flag} ${String(raw)}: expected a positive integer.\n${USAGE}`);
      process.exit(2);
    }
    if (['vocab', 'emb', 'hidden', 'layers', 'batch', 'source-len', 'target-len'].includes(flag)) custom = true;
    shape[camel(flag)] = value;
  }
  if (custom) shape['name'] = `${config}*`;
  const threads = parsed['threads'] === undefined ? undefined : Number(parsed['threads']);
  const pool = parsed['pool'] === undefined ? undefined : Number(parsed['pool']);
  const cores = parsed['cores'] === undefined ? 1 : Number(parsed['cores']);
  const cpu = parsed['cpu'] === undefined ? undefined : Number(parsed['cpu']);
  if (!Number.isInteger(cores) || cores < 1 || (cpu !== undefined && (!Number.isInteger(cpu) || cpu < cores - 1))) {
    console.error(
      `--cores ${String(parsed['cores'])} --cpu ${String(parsed['cpu'])}: expected a positive number of cores ending at CPU ≥ cores − 1.\n${USAGE}`,
    );
    process.exit(2);
  }
  // Two cores means two threads on each side, unless --threads says otherwise.
  const seqloomThreads = threads ?? (cores > 1 ? cores : undefined);
  const anchorThreads = String(parsed['anchor-threads'] ?? cores)
    .split(',')
    .map(Number);
  if (anchorThreads.some((t) => !Number.isInteger(t) || t < 1)) {
    console.error(`--anchor-threads ${String(parsed['anchor-threads'])}: expected positive integers separated by commas.\n${USAGE}`);
    process.exit(2);
  }
  const backend = parsed['backend'] as string | undefined;
  if (backend !== undefined && !['native', 'wasm', 'cpu'].includes(backend)) {
    console.error(`--backend ${backend}: expected native, wasm or cpu.\n${USAGE}`);
    process.exit(2);
  }
  return {
    shape: shape as unknown as BenchShape,
    json: parsed['json'] as string | undefined,
    threads: seqloomThreads,
    pool,
    noAnchor: parsed['no-anchor'] === true,
    anchorThreads,
    backend: backend as BenchOptions['backend'],
    allowGenericBlas: parsed['allow-generic-blas'] === true,
    anchorPython: parsed['anchor-python'] as string | undefined,
    cores,
    cpu,
    pin: parsed['no-pin'] !== true,
    tensorStep: parsed['tensor-step'] === true,
  };
}
