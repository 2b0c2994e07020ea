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
  /** Thread settings the anchor runs with (default 1 and 2). */
  anchorThreads: number[];
  /** seqloom's backend: native (default when its addon is built), wasm or cpu. */
  backend?: 'native' | 'wasm' | 'cpu';
  /** Print ratios even when the anchor runs on a generic OpenBLAS kernel. */
  allowGenericBlas: boolean;
}

const CONFIGS: Record<string, Partial<BenchShape>> = {
  A: { vocab: 64, emb: 128, hidden: 256, layers: 1, batch: 64, sourceLen: 20, targetLen: 20 },
  B: { vocab: 64, emb: 128, hidden: 512, layers: 2, batch: 64, sourceLen: 20, targetLen: 20 },
};

export const USAGE = `flags: --config A|B (default A) and, to override its shape, --vocab N --emb N --hidden N
  --layers N --batch N --source-len N --target-len N; --steps N (measured, default 20) --warmup N (5)
  --decode-sources N (64) --beam N (5) --decode-repeats N (3) --seed N; --backend native|wasm|cpu (default:
  native when built, else wasm); --threads N (native: BLAS threads; wasm: the threaded build); --pool N (a
  TrainingPool / DecodingPool of N threads); --no-anchor; --anchor-threads 1,2; --allow-generic-blas; --json FILE`;

const NUMERIC = ['vocab', 'emb', 'hidden', 'layers', 'batch', 'source-len', 'target-len', 'steps', 'warmup',
  'decode-sources', 'beam', 'decode-repeats', 'seed', 'threads', 'pool'] as const;

function camel(flag: string): string {
  return flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}

/** Parses the shared bench flags; exits with a usage message on a bad flag. */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const options = Object.fromEntries(NUMERIC.map((f) => [f, { type: 'string' as const }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...options,
        config: { type: 'string', default: 'A' },
        json: { type: 'string' },
        'no-anchor': { type: 'boolean', default: false },
        'anchor-threads': { type: 'string', default: '1,2' },
        backend: { type: 'string' },
        'allow-generic-blas': { type: 'boolean', default: false },
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
    name: config, steps: 20, warmup: 5, decodeSources: 64, beam: 5, decodeRepeats: 3, seed: 1234, ...base,
  };
  let custom = false;
  for (const flag of NUMERIC) {
    const raw = parsed[flag];
    if (raw === undefined || flag === 'threads' || flag === 'pool') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < (flag === 'warmup' ? 0 : 1)) {
      console.error(`--${flag} ${String(raw)}: expected a positive integer.\n${USAGE}`);
      process.exit(2);
    }
    if (['vocab', 'emb', 'hidden', 'layers', 'batch', 'source-len', 'target-len'].includes(flag)) custom = true;
    shape[camel(flag)] = value;
  }
  if (custom) shape['name'] = `${config}*`;
  const threads = parsed['threads'] === undefined ? undefined : Number(parsed['threads']);
  const pool = parsed['pool'] === undefined ? undefined : Number(parsed['pool']);
  const anchorThreads = String(parsed['anchor-threads']).split(',').map(Number);
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
    shape: shape as unknown as BenchShape, json: parsed['json'] as string | undefined, threads, pool, noAnchor: parsed['no-anchor'] === true,
    anchorThreads, backend: backend as BenchOptions['backend'], allowGenericBlas: parsed['allow-generic-blas'] === true,
  };
}
