import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AnchorBlas, chooseAnchorBlas } from './anchor-blas.js';
import { type AnchorPython, anchorLine, DEBIAN_PYTHON, describeTorch, findAnchorPython } from './anchor-python.js';
import type { BenchData } from './bench-data.js';
import type { BenchOptions, BenchShape } from './bench-options.js';
import { canPin, cpuList, pinned, pinSelf } from './pin.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'anchors', 'torch_seq2seq.py');
export const INSTALL_HINT =
  'PyTorch anchor skipped: it needs a Python with torch: the venv made from the local wheel store ' +
  "(made on first use where pip has an extra-index-url), `--anchor-python PATH`, or Debian's " +
  '`apt-get install -y python3-torch libopenblas0-pthread`.';

/**
 * The anchor's Python (or why there is none) and the CPUs both sides run on;
 * set by `setUpSides`. A bench that does not call it gets Debian's
 * /usr/bin/python3, unpinned, as before.
 */
let anchorChoice: AnchorPython | string | undefined;
let cpus: string | undefined;

function currentAnchor(): AnchorPython | string {
  anchorChoice ??= describeTorch(DEBIAN_PYTHON, "Debian's python3-torch");
  return anchorChoice;
}

/**
 * Pins every thread of this process (seqloom's side) to the CPUs of
 * `options` (`--cores`, `--cpu`; nothing with `--no-pin`) and finds the
 * anchor's Python (`--anchor-python`, else the newest torch found), whose
 * runs are pinned to the same CPUs. Returns the lines to print about both.
 */
export function setUpSides(options: BenchOptions): string[] {
  cpus = options.pin ? cpuList(options.cores, options.cpu) : undefined;
  if (cpus !== undefined) {
    if (!canPin(cpus)) throw new Error(`cannot pin to CPU(s) ${cpus} with taskset (util-linux); give --cpu, --cores or --no-pin`);
    pinSelf(cpus);
  }
  const anchor = options.noAnchor ? 'PyTorch anchor skipped (--no-anchor).' : findAnchorPython(options.anchorPython);
  anchorChoice = anchor;
  const where = cpus === undefined ? 'not pinned (--no-pin)' : `every thread of both sides pinned to CPU ${cpus} (taskset)`;
  return [typeof anchor === 'string' ? anchor : `anchor: ${anchorLine(anchor)}`, `${where}; PyTorch on ${options.anchorThreads.join(' and ')} thread(s)`];
}

/** The anchor's Python, when there is one. */
export function anchorPython(): AnchorPython | undefined {
  const anchor = currentAnchor();
  return typeof anchor === 'string' ? undefined : anchor;
}

/** Figures of one anchor run (one thread setting). */
export interface AnchorResult {
  threads: number;
  trainTokPerSec?: number;
  msPerStep?: number;
  greedySentPerSec?: number;
  beamSentPerSec?: number;
  peakRssMiB: number;
  firstLoss?: number;
  lastLoss?: number;
  /** torch.__version__ and its BLAS line. */
  torch?: string;
  blas?: string;
}

/** Says why the anchor cannot run here, or undefined when it can. */
export function anchorUnavailable(): string | undefined {
  const anchor = currentAnchor();
  return typeof anchor === 'string' ? (anchor.startsWith('PyTorch anchor') ? anchor : `${INSTALL_HINT} (${anchor})`) : undefined;
}

let blas: AnchorBlas | undefined;

/** The anchor's BLAS: for an OpenBLAS torch the kernel chosen once per run (see chooseAnchorBlas); else torch's own line. */
export function anchorBlas(): AnchorBlas {
  const a = anchorPython();
  if (a === undefined) throw new Error('no PyTorch anchor');
  blas ??= a.openblas ? chooseAnchorBlas(a.python, SCRIPT) : { core: a.blas, how: 'torch.__config__', generic: false };
  return blas;
}

/** The environment of an anchor process: BLAS and OpenMP on `threads` threads (on the chosen OpenBLAS core when it is OpenBLAS). */
export function anchorEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENBLAS_NUM_THREADS: String(threads),
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
  };
  delete env['OPENBLAS_CORETYPE'];
  const { coretype } = anchorBlas();
  if (coretype !== undefined) env['OPENBLAS_CORETYPE'] = coretype;
  return env;
}

function spawnAnchor(args: string[], env: NodeJS.ProcessEnv) {
  const [command, argv] = pinned(cpus, anchorPython()!.python, args);
  return spawnSync(command, argv, { env, encoding: 'utf8', maxBuffer: 1 << 24 });
}

/** GFLOP/s of torch.mm at each `m,k,n` of `spec` (semicolon-separated), on `threads` threads. */
export function runAnchorProbe(spec: string, threads: number): number[] {
  const run = spawnAnchor([SCRIPT, '--threads', String(threads), '--probe-sgemm', spec], anchorEnv(threads));
  if (run.status !== 0) throw new Error(`PyTorch sgemm probe failed (exit ${run.status}): ${run.stderr.trim()}`);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { sgemm: number[] }).sgemm;
}

/**
 * Runs bench/anchors/torch_seq2seq.py on exactly `data`, with its BLAS and
 * torch limited to `threads` threads, pinned like seqloom's side.
 */
export function runAnchor(shape: BenchShape, data: BenchData, threads: number, part: 'train' | 'decode'): AnchorResult {
  const dir = mkdtempSync(join(tmpdir(), 'seqloom-bench-'));
  try {
    const file = join(dir, 'data.json');
    writeFileSync(file, JSON.stringify(data));
    const args = [
      SCRIPT,
      '--data',
      file,
      '--threads',
      String(threads),
      '--vocab',
      String(shape.vocab),
      '--emb',
      String(shape.emb),
      '--hidden',
      String(shape.hidden),
      '--layers',
      String(shape.layers),
      '--target-len',
      String(shape.targetLen),
      '--steps',
      String(shape.steps),
      '--warmup',
      String(shape.warmup),
      '--beam',
      String(shape.beam),
      '--decode-warmup',
      String(shape.decodeWarmup),
      '--decode-repeats',
      String(shape.decodeRepeats),
      '--seed',
      String(shape.seed),
      part === 'train' ? '--skip-decode' : '--skip-train',
    ];
    const env = anchorEnv(threads);
    const run = spawnAnchor(args, env);
    if (run.status !== 0) throw new Error(`PyTorch anchor failed (exit ${run.status}): ${run.stderr.trim()}`);
    return { ...(JSON.parse(run.stdout.trim().split('\n').pop()!) as AnchorResult), blas: anchorPython()!.blas };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
