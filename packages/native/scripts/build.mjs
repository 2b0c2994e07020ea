#!/usr/bin/env node
// Builds build/seqloom_native.node from native/*.c with the system C compiler
// against Node's own headers (never downloaded) and the fastest GEMM library the
// system has (native/gemm.h is the one seam): on Linux oneDNN (dnnl.h, -ldnnl,
// Debian's libdnnl-dev) where its header and library are there, else OpenBLAS
// (cblas.h, -lopenblas); Accelerate on macOS. SEQLOOM_BLAS=onednn|openblas forces
// one (for comparison); unset or `auto` chooses.
//
//   node scripts/build.mjs            build; exit 1 with the compiler's error on failure
//   node scripts/build.mjs --optional the package's install step: on failure say on stderr
//                                     why and the command that enables the engine (one
//                                     paragraph), record the reason in build/install-failure.json
//                                     for the runtime to say once, and exit 0
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearInstallFailure, fixCommand, writeInstallFailure } from './rebuild-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
// npm and pnpm run install scripts in the package's folder; INIT_CWD is where the user ran them
const userDir = process.env.INIT_CWD ?? process.cwd();

function nodeHeaders() {
  const candidates = [
    process.env.SEQLOOM_NODE_HEADERS,
    join(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
}

function unavailable(reason) {
  const fix = fixCommand(reason, root, userDir);
  if (optional) {
    // npm shows no output of a successful install script: the runtime reads the reason back and says it once
    mkdirSync(join(root, 'build'), { recursive: true });
    writeInstallFailure(reason);
    console.error(
      `@seqloom/native: the native CPU engine was not built (${reason}). seqloom works without it, on its ` +
        `portable wasm engine, several times slower for training. To build it, run: ${fix}`,
    );
    process.exit(0);
  }
  console.error(`@seqloom/native: native engine unavailable (${reason}). Enable it with: ${fix}`);
  process.exit(1);
}

function compile(compiler, args) {
  const run = spawnSync(compiler, args, { encoding: 'utf8' });
  if (run.error) return { ok: false, message: `${compiler}: ${run.error.message}` };
  return { ok: run.status === 0, message: `${run.stderr}${run.stdout}`.trim() };
}

const headers = nodeHeaders();
if (headers === undefined) unavailable('no Node headers (node_api.h) next to this node or in /usr/include/node');
const compiler = process.env.CC ?? 'cc';
const sources = readdirSync(join(root, 'native'))
  .filter((f) => f.endsWith('.c'))
  .map((f) => join(root, 'native', f));
const outDir = join(root, 'build');
mkdirSync(outDir, { recursive: true });
const temp = join(outDir, `seqloom_native.${process.pid}.node`);
const base = [
  '-O3',
  '-fno-trapping-math',
  '-fno-math-errno',
  '-std=c11',
  '-fPIC',
  '-Wall',
  '-DNODE_GYP_MODULE_NAME=seqloom_native',
  `-I${headers}`,
  ...sources,
  '-o',
  temp,
];
let blasChoice = (process.env.SEQLOOM_BLAS ?? 'auto').trim().toLowerCase() || 'auto';
if (!['auto', 'onednn', 'openblas'].includes(blasChoice)) {
  console.error(`@seqloom/native: SEQLOOM_BLAS is onednn, openblas or auto, not "${process.env.SEQLOOM_BLAS}"; choosing automatically`);
  blasChoice = 'auto';
}
// the GEMM libraries to try, in order: each is [name, linker flags]
const libraries =
  process.platform === 'darwin'
    ? [['Accelerate', ['-bundle', '-undefined', 'dynamic_lookup', '-DACCELERATE_NEW_LAPACK', '-framework', 'Accelerate']]]
    : [
        ...(blasChoice === 'openblas' ? [] : [['oneDNN', ['-shared', '-DSEQLOOM_ONEDNN', '-ldnnl', '-lgomp', '-lm']]]),
        ...(blasChoice === 'onednn' ? [] : [['OpenBLAS', ['-shared', '-lopenblas', '-lm']]]),
      ];
let result;
let library;
// OpenMP splits the pointwise loops (cell activations, optimizer updates) over the configured threads (native/parallel.h)
const openmp = process.platform === 'darwin' ? [] : ['-fopenmp'];
for (const [name, platform] of libraries) {
  // the addon is built on the machine it runs on: tune for its CPU where the compiler can; without OpenMP where it has none
  for (const extra of [['-march=native', ...openmp], openmp, ['-march=native'], []]) {
    result = compile(compiler, [...extra, ...base, ...platform]);
    if (result.ok) break;
  }
  library = name;
  if (result.ok) break;
}
if (!result.ok) {
  const missing = /dnnl\.h/.test(result.message)
    ? 'no oneDNN headers (dnnl.h)'
    : /cannot find -ldnnl/.test(result.message)
      ? 'no oneDNN library (-ldnnl)'
      : /cblas\.h|Accelerate/.test(result.message)
        ? 'no BLAS headers (cblas.h)'
        : /cannot find -lopenblas/.test(result.message)
          ? 'no OpenBLAS library (-lopenblas)'
          : /ENOENT|not found/.test(result.message)
            ? `no C compiler (${compiler})`
            : `the compiler failed: ${result.message.split('\n')[0]}`;
  if (!optional) console.error(result.message);
  unavailable(missing);
}
renameSync(temp, join(outDir, 'seqloom_native.node'));
clearInstallFailure();
console.log(`@seqloom/native: built ${join(outDir, 'seqloom_native.node')} on ${library}`);
