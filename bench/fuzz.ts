// `pnpm bench fuzz [--runs N] [--seed S]`: the loader fuzzing of
// tests/loader-fuzz.test.ts with many more cases (default 5,000) and a new
// seed each run; prints the cases per file and every failure found.
import { setBackend } from '@seqloom/seq2seq';
import { fuzzLoaders, makeFuzzFixture } from '../tests/fuzz/loader-fuzz.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got ${JSON.stringify(process.argv[at + 1])}`);
    process.exit(2);
  }
  return value;
}

const runs = flag('runs', 5000);
const seed = flag('seed', Date.now() % 2 ** 31);
await setBackend('cpu');
const { root, cleanup } = await makeFuzzFixture();
const started = performance.now();
try {
  const report = await fuzzLoaders({ root, runs, seed });
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: ${report.cases} cases in ${seconds.toFixed(1)} s (seed ${seed}); ${report.accepted} accepted, ${report.failures.length} failures`);
  for (const [file, count] of Object.entries(report.perFile)) console.log(`  ${file.padEnd(30)} ${count}`);
  for (const failure of report.failures.slice(0, 20)) console.log(`FAIL ${failure.file} ${JSON.stringify(failure.mutation)}: ${failure.problem}`);
  process.exitCode = report.failures.length > 0 ? 1 : 0;
} finally {
  await cleanup();
}
