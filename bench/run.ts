// `pnpm bench <name> [flags]` runs bench/<name>.ts with the remaining flags in process.argv.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort();
if (!name || name.startsWith('-')) {
  console.error(`usage: pnpm bench <name> [flags]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const file = join(here, `${name}.ts`);
if (!existsSync(file)) {
  console.error(`pnpm bench: no benchmark "${name}" (expected ${file}); available: ${available.join(', ')}`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(file).href);
