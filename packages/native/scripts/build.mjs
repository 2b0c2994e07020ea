#!/usr/bin/env node
// Builds build/seqloom_native.node from native/*.c with the system C compiler
// against Node's own headers (never downloaded) and the system BLAS:
// OpenBLAS (-lopenblas) on Linux, Accelerate on macOS.
//
//   node scripts/build.mjs            build; exit 1 with the compiler's error on failure
//   node scripts/build.mjs --optional the package's install step: on failure print one
//                                     line saying how to enable the engine, exit 0
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');
const ENABLE = 'apt-get install -y libopenblas-dev && pnpm --filter @seqloom/native build';

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
  const line = `@seqloom/native: native engine unavailable (${reason}); seqloom will use wasm. Enable it with: ${ENABLE}`;
  if (optional) {
    console.log(line);
    process.exit(0);
  }
  console.error(line);
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
const sources = readdirSync(join(root, 'native')).filter((f) => f.endsWith('.c')).map((f) => join(root, 'native', f));
const outDir = join(root, 'build');
mkdirSync(outDir, { recursive: true });
const temp = join(outDir, `seqloom_native.${process.pid}.node`);
const base = ['-O3', '-fno-trapping-math', '-fno-math-errno', '-std=c11', '-fPIC', '-Wall', '-DNODE_GYP_MODULE_NAME=seqloom_native', `-I${headers}`, ...sources, '-o', temp];
const platform = process.platform === 'darwin'
  ? ['-bundle', '-undefined', 'dynamic_lookup', '-DACCELERATE_NEW_LAPACK', '-framework', 'Accelerate']
  : ['-shared', '-lopenblas', '-lm'];
// the addon is built on the machine it runs on: tune for its CPU where the compiler can
let result = compile(compiler, ['-march=native', ...base, ...platform]);
if (!result.ok) result = compile(compiler, [...base, ...platform]);
if (!result.ok) {
  const missing = /cblas\.h|Accelerate/.test(result.message) ? 'no BLAS headers (cblas.h)'
    : /cannot find -lopenblas/.test(result.message) ? 'no OpenBLAS library (-lopenblas)'
      : /ENOENT|not found/.test(result.message) ? `no C compiler (${compiler})`
        : `the compiler failed: ${result.message.split('\n')[0]}`;
  if (!optional) console.error(result.message);
  unavailable(missing);
}
renameSync(temp, join(outDir, 'seqloom_native.node'));
console.log(`@seqloom/native: built ${join(outDir, 'seqloom_native.node')}`);
