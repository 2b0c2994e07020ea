// `pnpm bench quality <task> [flags]`: trains a recipe and reports the quality it reaches.
// Tasks: g2p (bench/quality/g2p.ts) and charlm (bench/quality/charlm.ts).
const TASKS: Record<string, () => Promise<(argv: readonly string[]) => Promise<void>>> = {
  g2p: async () => {
    const file = './quality/g2p.js'; // a variable path: the g2p bench is optional in this tree
    const module = (await import(file)) as Record<string, unknown>;
    const run = Object.values(module).find((v) => typeof v === 'function') as ((argv: readonly string[]) => Promise<void>) | undefined;
    if (!run) throw new Error('bench/quality/g2p.ts exports no function');
    return run;
  },
  charlm: async () => (await import('./quality/charlm.js')).runCharlmBench,
};

const [task, ...rest] = process.argv.slice(2);
if (!task || !(task in TASKS)) {
  console.error(`usage: pnpm bench quality <${Object.keys(TASKS).join('|')}> [flags]${task ? ` (unknown task "${task}")` : ''}`);
  process.exit(2);
}
try {
  await (await TASKS[task]!())(rest);
} catch (error) {
  console.error(`pnpm bench quality ${task}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
