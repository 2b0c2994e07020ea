import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The version of package `name` as the package folder `from` resolves it, or "not found". */
export function packageVersion(name: string, from: string): string {
  try {
    let dir = dirname(createRequire(join(from, 'package.json')).resolve(name));
    for (;;) {
      const manifest = join(dir, 'package.json');
      if (existsSync(manifest)) {
        const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
        if (json.name === name) return json.version ?? '?';
      }
      if (dirname(dir) === dir) return 'not found';
      dir = dirname(dir);
    }
  } catch {
    return 'not found';
  }
}
