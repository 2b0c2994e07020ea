import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseAnchorBlas, type AnchorBlas } from './anchor-blas.js';
import type { BenchData } from './bench-data.js';
import type { BenchShape } from './bench-options.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'anchors', 'torch_seq2seq.py');
export const INSTALL_HINT = 'PyTorch anchor skipped: it needs Debian\'s PyTorch with OpenBLAS: ' +
  '`apt-get install -y python3-torch libopenblas0-pthread` (run through /usr/bin/python3).';

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
}

/** Says why the anchor cannot run here, or undefined when it can. */
export function anchorUnavailable(): string | undefined {
  if (!existsSync(PYTHON)) return `${INSTALL_HINT} (${PYTHON} not found)`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${INSTALL_HINT} (${probe.stderr.trim().split('\n').pop() ?? 'import torch failed'})`;
  return undefined;
}

let blas: AnchorBlas | undefined;

/** The anchor's OpenBLAS kernel (chosen once per run, see chooseAnchorBlas). */
export function anchorBlas(): AnchorBlas {
  blas ??= chooseAnchorBlas(PYTHON, SCRIPT);
  return blas;
}

/** The environment of an anchor process: OpenBLAS and OpenMP on `threads` threads, on the chosen OpenBLAS core. */
export function anchorEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  delete env['OPENBLAS_CORETYPE'];
  const { coretype } = anchorBlas();
  if (coretype !== undefined) env['OPENBLAS_CORETYPE'] = coretype;
  return env;
}

/** GFLOP/s of torch.mm at each `m,k,n` of `spec` (semicolon-separated), on `threads` threads. */
export function runAnchorProbe(spec: string, threads: number): number[] {
  const run = spawnSync(PYTHON, [SCRIPT, '--threads', String(threads), '--probe-sgemm', spec], { env: anchorEnv(threads), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`PyTorch sgemm probe failed (exit ${run.status}): ${run.stderr.trim()}`);
  return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { sgemm: number[] }).sgemm;
}

/**
 * Runs bench/anchors/torch_seq2seq.py on exactly `data`, with OpenBLAS and
 * torch limited to `threads` threads.
 */
export function runAnchor(shape: BenchShape, data: BenchData, threads: number, part: 'train' | 'decode'): AnchorResult {
  const dir = mkdtempSync(join(tmpdir(), 'seqloom-bench-'));
  try {
    const file = join(dir, 'data.json');
    writeFileSync(file, JSON.stringify(data));
    const args = [SCRIPT, '--data', file, '--threads', String(threads), '--vocab', String(shape.vocab),
      '--emb', String(shape.emb), '--hidden', String(shape.hidden), '--layers', String(shape.layers),
      '--target-len', String(shape.targetLen), '--steps', String(shape.steps), '--warmup', String(shape.warmup),
      '--beam', String(shape.beam), '--decode-repeats', String(shape.decodeRepeats), '--seed', String(shape.seed),
      part === 'train' ? '--skip-decode' : '--skip-train'];
    const env = anchorEnv(threads);
    const run = spawnSync(PYTHON, args, { env, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.status !== 0) throw new Error(`PyTorch anchor failed (exit ${run.status}): ${run.stderr.trim()}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as AnchorResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
