// The public entry points of every @seqloom/* package, read from the exports
// maps: `@seqloom/seq2seq/browser` → packages/seq2seq/src/browser.ts (the
// "source" condition). Shared by `pnpm docs` and the test that every exported
// name is documented.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
export const PACKAGES = ['core', 'tokenizer', 'decode', 'metrics', 'datasets', 'native', 'onnx', 'seq2seq', 'cli'];

/** The "source" targets of an exports entry (any nesting of conditions). */
function sources(value) {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === 'source' && typeof inner === 'string' ? [inner] : sources(inner)));
}

/** `{ name, file }` for every public entry point (a subpath with a browser variant gives both files). */
export function apiEntries() {
  const entries = [];
  for (const pkg of PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      for (const source of new Set(sources(target))) {
        entries.push({ name: `${manifest.name}${subpath.slice(1)}`, file: join(ROOT, 'packages', pkg, source) });
      }
    }
  }
  // a file reached from two subpaths (the root's "browser" condition and ./browser): one entry, named by the subpath
  const byFile = new Map();
  for (const entry of entries) if ((byFile.get(entry.file)?.name.length ?? -1) < entry.name.length) byFile.set(entry.file, entry);
  return [...byFile.values()];
}
