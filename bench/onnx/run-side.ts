// Runs one side of `pnpm bench onnx` in its own process, every thread of it on
// one CPU (`taskset -c N`): Node runs garbage collection and compilation on
// worker threads and onnxruntime and PyTorch keep thread pools, which an
// unpinned process gets on the other core for free.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './deps.js';
import type { SideResult } from './protocol.js';

/** The CPU every side runs on; undefined = not pinned. */
export type Pin = number | undefined;

/** Whether `taskset` can pin a process to `cpu` here. */
export function canPin(cpu: number): boolean {
  return spawnSync('taskset', ['-c', String(cpu), 'true'], { stdio: 'ignore' }).status === 0;
}

/** Every thread pool of a side on one thread. */
const ONE_THREAD = { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };

/** Runs `program args` (pinned), resolving with the JSON object on its last stdout line. */
function runPinned(pin: Pin, program: string, args: string[], env: NodeJS.ProcessEnv, label: string): Promise<SideResult> {
  const [command, argv] = pin === undefined ? [program, args] : ['taskset', ['-c', String(pin), program, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: ROOT, env: { ...env, ...ONE_THREAD }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as SideResult);
      else reject(new Error(`${label} failed (exit ${code}): ${err.trim().split('\n').slice(-6).join('\n')}`));
    });
  });
}

/** A TypeScript side (bench/onnx/<file>) under Node with the source condition, as `pnpm bench` runs. */
export function runNodeSide(pin: Pin, file: string, request: string, env: NodeJS.ProcessEnv = {}): Promise<SideResult> {
  const args = ['--conditions=source', '--import', 'tsx', join(ROOT, 'bench', 'onnx', file), '--request', request];
  return runPinned(pin, process.execPath, args, { ...process.env, NODE_OPTIONS: '', ...env }, file);
}

const ANCHOR = join(ROOT, 'bench', 'anchors', 'hf_generate.py');
/** The venv packages/onnx/fixtures/build_fixtures.py documents (torch, transformers). */
const DEFAULT_PYTHON = '/work/venv-fixtures/bin/python';

/** The Python the anchor runs on: --python, else $PYTHON, else the fixtures' venv. */
export function anchorPython(flag: string | undefined): string {
  return flag ?? process.env['PYTHON'] ?? DEFAULT_PYTHON;
}

/** Why the PyTorch anchor cannot run on `python`, or undefined when it can. */
export function anchorMissing(python: string): string | undefined {
  const hint =
    `set PYTHON (or --python) to a Python with torch and transformers, e.g. \`python3 -m venv ${DEFAULT_PYTHON.replace('/bin/python', '')} && ` +
    `${DEFAULT_PYTHON.replace('/python', '/pip')} install torch transformers\`, or give --no-anchor`;
  if (!existsSync(python)) return `PyTorch anchor skipped: ${python} not found; ${hint}`;
  const probe = spawnSync(python, ['-c', 'import torch, transformers'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return `PyTorch anchor skipped: ${python} cannot import torch and transformers (${probe.stderr.trim().split('\n').pop() ?? ''}); ${hint}`;
  return undefined;
}

/** bench/anchors/hf_generate.py on the request. */
export function runAnchorSide(pin: Pin, python: string, request: string): Promise<SideResult> {
  return runPinned(pin, python, [ANCHOR, '--request', request, '--threads', '1'], process.env, 'PyTorch anchor (bench/anchors/hf_generate.py)');
}
