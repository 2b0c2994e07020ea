#!/usr/bin/env node
// The `prepack` step of every @seqloom/* package (run by `pnpm pack` and
// `pnpm publish` in the package's folder): refuses `npm pack` / `npm publish`,
// which would ship `workspace:*` dependencies that no registry resolves (pnpm
// rewrites them to versions), builds dist/ with `tsc -b`, points the
// declarations at @tensorflow/tfjs-core, and checks that every file the exports
// map and bin name is there, so a fresh clone never packs an empty package.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dir = process.cwd();
const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const name = manifest.name ?? dir;

function fail(message) {
  console.error(`${name}: ${message}`);
  process.exit(1);
}

const agent = process.env.npm_config_user_agent ?? '';
const workspaceDeps = ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) =>
  Object.entries(manifest[field] ?? {})
    .filter(([, range]) => String(range).startsWith('workspace:'))
    .map(([dep]) => dep),
);
if (workspaceDeps.length > 0 && !agent.startsWith('pnpm/')) {
  fail(
    `pack this package with \`pnpm pack\` (or publish with \`pnpm publish\`): it depends on ${workspaceDeps.join(', ')} as ` +
      `\`workspace:*\`, which pnpm rewrites to versions and ${agent.split(' ')[0] || 'this tool'} would ship unchanged.`,
  );
}

const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b'], { cwd: dir, stdio: 'inherit' });
if (build.status !== 0) fail('`tsc -b` failed; nothing was packed');

/**
 * The declarations name `@tensorflow/tfjs-core` where the sources import
 * `@tensorflow/tfjs` (which re-exports it): seqloom's types use only core's
 * (Tensor, Variable, Optimizer, kernel configs), and the full package's
 * declarations drag tfjs-layers' into a consumer's program, which do not
 * compile with `skipLibCheck: false` under `strict`.
 */
function declareTfjsCore() {
  const files = existsSync(join(dir, 'dist')) ? readdirSync(join(dir, 'dist'), { recursive: true }).filter((f) => f.endsWith('.d.ts')) : [];
  let rewritten = 0;
  for (const file of files) {
    const path = join(dir, 'dist', file);
    const text = readFileSync(path, 'utf8');
    const next = text.replace(/(from |import\()(['"])@tensorflow\/tfjs\2/g, '$1$2@tensorflow/tfjs-core$2');
    if (next !== text) {
      writeFileSync(path, next);
      rewritten += 1;
    }
  }
  if (rewritten > 0 && manifest.dependencies?.['@tensorflow/tfjs-core'] === undefined) {
    fail('its declarations import @tensorflow/tfjs-core: list it in "dependencies" (the version of @tensorflow/tfjs)');
  }
}
declareTfjsCore();

/** Every file an exports map (any condition but `source`, which points at src/) or bin names. */
function targets(value, condition) {
  if (typeof value === 'string') return condition === 'source' ? [] : [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => targets(inner, key.startsWith('.') ? condition : key));
}
const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
const missing = [...targets(manifest.exports), ...bins].filter((file) => !existsSync(join(dir, file)));
if (missing.length > 0) fail(`the build did not write ${missing.join(', ')}`);
