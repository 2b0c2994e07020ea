// `pnpm bench quality <task> [flags]`: trains a task's recipe for a time budget, then
// reports its test figures. Each task is bench/quality/<task>.ts; it exports
// `run(args: string[]): Promise<number | void>` (called with the flags after the task
// name), or runs on import with those flags in process.argv. A new task is a new file.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'quality');
const tasks = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const task = process.argv[2];
if (!task || task.startsWith('-') || !tasks.includes(task)) {
  const what = task && !task.startsWith('-') ? `no quality task "${task}"; ` : '';
  console.error(`pnpm bench quality: ${what}usage: pnpm bench quality <task> [flags]; tasks: ${tasks.join(', ')}`);
  process.exit(2);
}
process.argv.splice(2, 1);
try {
  const module = (await import(pathToFileURL(join(dir, `${task}.ts`)).href)) as { run?: (args: string[]) => Promise<number | void> };
  if (typeof module.run === 'function') process.exitCode = (await module.run(process.argv.slice(2))) ?? 0;
} catch (error) {
  // a bad flag (`UsageError`, or node:util parseArgs' ERR_PARSE_ARGS_*) or a failed run: one message, no stack
  const code = String((error as { code?: unknown }).code ?? '');
  const usage = (error as Error).name === 'UsageError' || code.startsWith('ERR_PARSE_ARGS');
  console.error(`pnpm bench quality ${task}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = usage ? 2 : 1;
}
