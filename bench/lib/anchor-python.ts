// Which Python (and so which PyTorch) the benches' anchor runs on, and what that PyTorch is built with.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Debian's Python (python3-torch, OpenBLAS): the anchor of last resort. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** The venv the benches make once from the machine's local wheel store (pip's first extra-index-url). */
export const ANCHOR_VENV = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'seqloom', 'anchor-venv');

/** A Python with torch, and what its torch is. */
export interface AnchorPython {
  python: string;
  /** torch.__version__, e.g. `2.13.0+cpu`. */
  torch: string;
  /** The BLAS and kernels from torch.__config__.show(), e.g. `MKL 2024.2, oneDNN 3.12.0, AVX512`. */
  blas: string;
  /** True when torch's matMul runs on OpenBLAS (so OPENBLAS_CORETYPE applies). */
  openblas: boolean;
  /** Why this one: `--anchor-python`, the wheel-store venv, Debian's. */
  how: string;
}

const PROBE = 'import torch; print(torch.__version__); print(torch.__config__.show())';

/** torch's version and build of `python`, or the reason it has none. */
export function describeTorch(python: string, how: string): AnchorPython | string {
  if (!existsSync(python)) return `${python} not found`;
  const run = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (run.status !== 0) return `${python} cannot import torch (${run.stderr.trim().split('\n').pop() ?? `exit ${run.status}`})`;
  const [version = '?', ...config] = run.stdout.trim().split('\n');
  return { python, torch: version.trim(), ...blasOf(config.join('\n')), how };
}

/** The BLAS line of a torch.__config__.show() text. */
export function blasOf(config: string): { blas: string; openblas: boolean } {
  const parts: string[] = [];
  const mkl = /Math Kernel Library Version ([\d.]+)/.exec(config);
  const info = /BLAS_INFO=(\w+)/.exec(config)?.[1];
  const openblas = info === 'open' || (mkl === null && /openblas/i.test(config));
  if (mkl) parts.push(`MKL ${mkl[1]}`);
  else if (openblas) parts.push('OpenBLAS');
  else if (info) parts.push(`BLAS ${info}`);
  const dnn = /MKL-DNN v([\d.]+)/.exec(config);
  if (dnn) parts.push(`oneDNN ${dnn[1]}`);
  const cpu = /CPU capability usage: (\S+)/.exec(config);
  if (cpu) parts.push(cpu[1]!);
  return { blas: parts.length ? parts.join(', ') : 'BLAS unknown', openblas };
}

/** pip's first extra-index-url (the local wheel store), or undefined. */
function wheelStore(): string | undefined {
  const run = spawnSync('pip', ['config', 'get', 'global.extra-index-url'], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  return run.stdout.trim().split(/\s+/)[0] || undefined;
}

/** Make ANCHOR_VENV from the wheel store (once; a few minutes); returns why not, or undefined when made. */
function makeAnchorVenv(): string | undefined {
  const index = wheelStore();
  if (index === undefined) return 'pip has no extra-index-url (no local wheel store)';
  console.error(`making the anchor venv ${ANCHOR_VENV} from the local wheel store ${index} (once; takes a few minutes)…`);
  mkdirSync(join(ANCHOR_VENV, '..'), { recursive: true });
  const venv = spawnSync('python3', ['-m', 'venv', ANCHOR_VENV], { stdio: 'inherit' });
  if (venv.status !== 0) return `python3 -m venv ${ANCHOR_VENV} failed`;
  const pip = spawnSync(join(ANCHOR_VENV, 'bin', 'pip'), ['install', '--index-url', index, 'torch', 'numpy'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return pip.status === 0 ? undefined : `pip install torch numpy from ${index} failed`;
}

function newer(a: string, b: string): boolean {
  const parse = (v: string) =>
    v
      .split(/[.+]/)
      .slice(0, 3)
      .map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
}

/**
 * The anchor's Python: `explicit` (`--anchor-python PATH`, else
 * $SEQLOOM_ANCHOR_PYTHON) when given; else the newest torch among the venv made
 * from the machine's local wheel store (made on first use unless `makeVenv` is
 * false) and Debian's /usr/bin/python3. A string says why there is none.
 */
export function findAnchorPython(explicit = process.env['SEQLOOM_ANCHOR_PYTHON'], makeVenv = true): AnchorPython | string {
  if (explicit) {
    const given = describeTorch(explicit, '--anchor-python');
    return typeof given === 'string' ? `--anchor-python: ${given}` : given;
  }
  const venvPython = join(ANCHOR_VENV, 'bin', 'python');
  let venv = describeTorch(venvPython, `the wheel-store venv ${ANCHOR_VENV}`);
  if (typeof venv === 'string' && makeVenv) {
    const failed = makeAnchorVenv();
    venv = failed ?? describeTorch(venvPython, `the wheel-store venv ${ANCHOR_VENV}`);
  }
  const debian = describeTorch(DEBIAN_PYTHON, "Debian's python3-torch");
  const found = [venv, debian].filter((c): c is AnchorPython => typeof c !== 'string');
  if (found.length === 0) {
    return (
      `no Python with torch: wheel-store venv: ${String(venv)}; Debian: ${String(debian)}. ` +
      `Give --anchor-python PATH, or make the venv: python3 -m venv ${ANCHOR_VENV} && ${ANCHOR_VENV}/bin/pip install --index-url ` +
      `"$(pip config get global.extra-index-url | cut -d' ' -f1)" torch numpy`
    );
  }
  return found.reduce((best, c) => (newer(c.torch, best.torch) ? c : best));
}

/** One line for a report: `PyTorch 2.13.0+cpu (MKL 2024.2, oneDNN 3.12.0, AVX512) at PATH (why)`. */
export function anchorLine(a: AnchorPython): string {
  return `PyTorch ${a.torch} (${a.blas}) — ${a.python} (${a.how})`;
}
