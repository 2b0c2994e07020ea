#!/usr/bin/env node
// Builds build/seqloom_native.node from native/*.c with the system C compiler
// against Node's own headers (never downloaded) and the system BLAS:
// OpenBLAS (-lopenblas) on Linux, Accelerate on macOS.
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
clearInstallFailure();
console.log(`@seqloom/native: built ${join(outDir, 'seqloom_native.node')}`);
