// `pnpm bench quality g2p [--minutes 60]`: trains recipes/g2p-cmudict.yaml through the
// `seqloom train` command for the given minutes, then scores best/ and the averaged
// checkpoint on the test words of the g2p-seq2seq split (WER, PER, greedy and beam, the
// beam's oracle WER) and every kept evaluation checkpoint on a dev subset (the learning
// curve). Prints a table and writes the figures as JSON.
import { existsSync } from 'node:fs';
import { mkdtemp, rename, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { processIo, runCli } from '@seqloom/cli';
import { builtinDatasets } from '@seqloom/datasets';
import { describeBackend } from '@seqloom/seq2seq';
import type { MultiReferenceExample } from '@seqloom/seq2seq/tooling';
import { type CurvePoint, type DecodedScores, learningCurve, type RunSpeed, runSpeed, scoreCheckpoint, spreadSubset } from '../lib/g2p-quality.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATASET = 'cmudict:g2p-seq2seq';

interface Flags {
  minutes: number;
  out: string | undefined;
  recipe: string;
  beam: number;
  devWords: number;
  /** Score only this many test words, spread over the dictionary (a quick check; the figures use all). */
  testWords: number | undefined;
  evalEveryMinutes: number;
  backend: string | undefined;
  threads: string | undefined;
  json: string | undefined;
}

const USAGE =
  'usage: pnpm bench quality g2p [--minutes 60] [--out DIR] [--recipe recipes/g2p-cmudict.yaml] [--beam 5] ' +
  '[--dev-words 1000] [--test-words all] [--eval-every-minutes max(minutes/12, 0.25)] [--backend native|wasm|cpu] [--threads N] [--json FILE]';

/** A bad flag: the dispatcher prints the message and exits with 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positive(name: string, text: string | undefined, fallback: number, integer = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(text)}\n${USAGE}`);
  }
  return value;
}

function readFlags(args: string[]): Flags {
  const { values } = parseArgs({
    args,
    strict: true,
    options: Object.fromEntries(
      ['minutes', 'out', 'recipe', 'beam', 'dev-words', 'test-words', 'eval-every-minutes', 'backend', 'threads', 'json'].map((n) => [
        n,
        { type: 'string' as const },
      ]),
    ),
  });
  const v = values as Record<string, string | undefined>;
  const minutes = positive('minutes', v.minutes, 60);
  return {
    minutes,
    out: v.out,
    recipe: resolve(v.recipe ?? join(REPO, 'recipes', 'g2p-cmudict.yaml')),
    beam: positive('beam', v.beam, 5, true),
    devWords: positive('dev-words', v['dev-words'], 1000, true),
    testWords: v['test-words'] === undefined ? undefined : positive('test-words', v['test-words'], 0, true),
    // a twelfth of the budget, but not below 15 s: an evaluation and its checkpoints take seconds
    evalEveryMinutes: positive('eval-every-minutes', v['eval-every-minutes'], Math.max(minutes / 12, 0.25)),
    backend: v.backend,
    threads: v.threads,
    json: v.json,
  };
}

/** Trains the recipe with `seqloom train` in this process; returns the model folder. */
async function trainRecipe(flags: Flags, modelDir: string): Promise<void> {
  const args = [
    'train',
    '--config',
    flags.recipe,
    '--out',
    modelDir,
    '--max-minutes',
    String(flags.minutes),
    '--eval-every-minutes',
    String(flags.evalEveryMinutes),
    '--keep-evals',
    '1000',
    ...(flags.backend ? ['--backend', flags.backend] : []),
    ...(flags.threads ? ['--threads', flags.threads] : []),
  ];
  console.log(`$ seqloom ${args.join(' ')}`);
  const code = await runCli(args, processIo());
  if (code !== 0) throw new Error(`seqloom train exited with ${code}; the bench stops`);
}

const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(2)} %`);
const pad = (text: string, width: number) => text.padStart(width);

function testTable(rows: { model: string; scores: DecodedScores }[]): string[] {
  const lines = [`${'model'.padEnd(34)}${pad('decoder', 8)}${pad('WER', 10)}${pad('PER', 10)}${pad('oracle WER', 12)}${pad('seconds', 9)}`];
  for (const { model, scores: s } of rows) {
    lines.push(
      `${model.padEnd(34)}${pad(s.decoder, 8)}${pad(pct(s.wordErrorRate), 10)}${pad(pct(s.phonemeErrorRate), 10)}${pad(pct(s.oracleWordErrorRate), 12)}${pad(s.seconds.toFixed(1), 9)}`,
    );
  }
  return lines;
}

function curveTable(points: CurvePoint[]): string[] {
  const lines = [`${pad('minutes', 8)}${pad('step', 8)}${pad('lr', 11)}${pad('valid loss', 12)}${pad('dev WER', 10)}${pad('dev PER', 10)}`];
  for (const p of points) {
    lines.push(
      `${pad(p.minutes.toFixed(1), 8)}${pad(String(p.step), 8)}${pad(p.learningRate.toExponential(2), 11)}${pad(p.validLoss.toFixed(4), 12)}${pad(pct(p.devWordErrorRate), 10)}${pad(pct(p.devPhonemeErrorRate), 10)}`,
    );
  }
  return lines;
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temp, file);
}

function splits(): { test: MultiReferenceExample[]; dev: MultiReferenceExample[]; trainWords: number } {
  const ds = builtinDatasets.load(DATASET);
  if (ds.task !== 'seq2seq') throw new Error(`${DATASET} is not a pair dataset`);
  return { test: ds.splits.test, dev: ds.splits.valid, trainWords: ds.splits.train.length };
}

/** Runs the bench; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const flags = readFlags(args);
  const out = resolve(flags.out ?? (await mkdtemp(join(tmpdir(), 'seqloom-quality-g2p-'))));
  const modelDir = join(out, 'model');
  if (existsSync(modelDir)) throw new UsageError(`--out ${out}: ${modelDir} already exists; give a fresh --out folder`);
  const started = new Date();
  await trainRecipe(flags, modelDir);
  const backend = describeBackend();
  const { test: allTest, dev, trainWords } = splits();
  const test = flags.testWords === undefined ? allTest : spreadSubset(allTest, flags.testWords);
  const devSubset = spreadSubset(dev, flags.devWords);
  console.log(`\nscoring the test words (${test.length}) and the learning curve (${devSubset.length} dev words) …`);
  const rows: { model: string; scores: DecodedScores }[] = [];
  for (const [label, dir] of [
    ['best/', join(modelDir, 'best')],
    ['averaged/', join(modelDir, 'averaged')],
  ] as const) {
    if (!existsSync(join(dir, 'config.json'))) continue;
    for (const scores of await scoreCheckpoint(dir, test, flags.beam)) rows.push({ model: label, scores });
  }
  const curve = await learningCurve(modelDir, devSubset);
  const speed: RunSpeed = await runSpeed(modelDir);
  const result = {
    bench: 'quality g2p',
    recipe: flags.recipe,
    data: { dataset: DATASET, trainWords, devWords: dev.length, testWords: allTest.length, scoredTestWords: test.length, devSubset: devSubset.length },
    minutes: flags.minutes,
    evalEveryMinutes: flags.evalEveryMinutes,
    backend,
    threads: flags.threads === undefined ? 1 : Number(flags.threads),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '?', loadAverage: loadavg() },
    started: started.toISOString(),
    out,
    speed,
    test: rows.map((r) => ({ model: r.model, ...r.scores })),
    curve,
  };
  const jsonFile = resolve(flags.json ?? join(out, 'quality-g2p.json'));
  await writeJsonAtomic(jsonFile, result);
  const lines = [
    '',
    `pnpm bench quality g2p — ${flags.recipe.startsWith(REPO) ? flags.recipe.slice(REPO.length + 1) : flags.recipe}, ${flags.minutes} minutes, ${DATASET} (${trainWords.toLocaleString('en-US')} train / ${dev.length.toLocaleString('en-US')} dev / ${allTest.length.toLocaleString('en-US')} test words)`,
    `backend ${backend}; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; started ${started.toISOString()}`,
    `training: ${speed.steps.toLocaleString('en-US')} steps in ${speed.minutes.toFixed(1)} min, ${speed.tokens.toLocaleString('en-US')} target tokens; ` +
      `${Math.round(speed.tokensPerSecond).toLocaleString('en-US')} tok/s over the run (evaluations included), ${Math.round(speed.stepTokensPerSecond).toLocaleString('en-US')} tok/s median of the training steps`,
    '',
    `test (${test.length.toLocaleString('en-US')}${test.length < allTest.length ? ` of ${allTest.length.toLocaleString('en-US')}` : ''} words): WER = words matching none of their pronunciations; PER = phoneme edits to the closest one ÷ its length`,
    ...testTable(rows),
    '',
    `learning curve (validation loss on all dev pairs; dev WER/PER greedy on ${devSubset.length} dev words spread over the dictionary)`,
    ...curveTable(curve),
    '',
    `figures: ${jsonFile}; model: ${modelDir}`,
  ];
  console.log(lines.join('\n'));
  return 0;
}
