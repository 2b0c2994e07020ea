// `pnpm bench data [--sizes 10k,100k,1M,3M,10M] [--steps 3] [--no-tsv] [--no-binary] [--keep]
//   [--valid-pairs N] [--tokenizer tokenizer.json] [--train-bin FOLDER]`:
// peak memory and time to the first training step as the corpus grows. For each
// size it writes a TSV of random 3–8 letter words → the same letters reversed
// (≈ 13 bytes a line) in a temporary folder and runs the real command line on it,
// with a tiny model for a few steps: `seqloom train --data corpus.tsv`, and
// `seqloom preprocess` + `seqloom train --data corpus.bin/` where that command exists.
// `--valid-pairs N` validates on a separate corpus of N pairs instead of a split,
// `--tokenizer` loads one instead of training it (both skip a pass over the data);
// `--train-bin FOLDER` only trains from a folder already written.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'packages/cli/src/main.ts');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10k,100k,1M,3M,10M' },
    steps: { type: 'string', default: '3' },
    'no-tsv': { type: 'boolean', default: false },
    'no-binary': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    dir: { type: 'string' },
    'valid-pairs': { type: 'string' },
    tokenizer: { type: 'string' },
    'train-bin': { type: 'string' },
  },
});

/** `10k` → 10000, `1M` → 1000000, `77M` → 77000000. */
function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (!match) throw new Error(`--sizes: "${text}" is not a count; expected e.g. 10k, 1M or 2500000`);
  const scale = match[2] === '' ? 1 : match[2].toLowerCase() === 'k' ? 1e3 : 1e6;
  return Math.round(Number(match[1]) * scale);
}

/** A corpus of `pairs` lines `word<TAB>drow`, written in large chunks; returns its size in bytes. */
async function writeCorpus(file: string, pairs: number, seed: number): Promise<number> {
  const out = createWriteStream(file);
  let state = seed >>> 0 || 1;
  const next = (n: number): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let chunk = '';
  for (let i = 0; i < pairs; i++) {
    const length = 3 + next(6);
    let word = '';
    for (let j = 0; j < length; j++) word += letters[next(26)];
    chunk += `${word}\t${[...word].reverse().join('')}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((done) => out.once('drain', () => done()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((done) => out.end(() => done()));
  return statSync(file).size;
}

interface RunFigures {
  /** Peak resident set (VmHWM) in MiB, read when the first steps are done. */
  peakMiB: number;
  /** Seconds from start to the first training step's report (null: no step). */
  firstStepSeconds: number | null;
  seconds: number;
  ok: boolean;
  tail: string;
}

function vmHwmMiB(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs `seqloom <args>` (sources, as `pnpm seqloom` does) and follows its JSON
 * log; with `stopAfterSteps`, the process is stopped once that many steps were
 * reported (the peak is read just before), so a huge validation pass does not
 * count in the time.
 */
function runCli(args: string[], stopAfterSteps?: number): Promise<RunFigures> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', main, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, vmHwmMiB(child.pid!))), 200);
  let firstStep: number | null = null;
  let steps = 0;
  let tail = '';
  let buffered = '';
  const onText = (text: string): void => {
    tail = (tail + text).slice(-2000);
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{"event":"step"')) continue;
      steps += 1;
      if (firstStep === null) firstStep = (performance.now() - started) / 1000;
      if (stopAfterSteps !== undefined && steps >= stopAfterSteps) {
        peak = Math.max(peak, vmHwmMiB(child.pid!));
        child.kill('SIGKILL');
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', onText);
  child.stderr.setEncoding('utf8').on('data', onText);
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      clearInterval(poll);
      const ok = code === 0 || (signal === 'SIGKILL' && stopAfterSteps !== undefined && steps >= stopAfterSteps);
      done({ peakMiB: peak, firstStepSeconds: firstStep, seconds: (performance.now() - started) / 1000, ok, tail });
    });
  });
}

const TINY_MODEL = ['--hidden', '16', '--embedding', '8', '--batch-size', '32', '--log-every', '1', '--eval-every', '100000', '--log-json', '--overwrite'];

function hasPreprocess(): boolean {
  return existsSync(join(root, 'packages/cli/src/commands/preprocess.ts'));
}

const mib = (x: number): string => `${x.toFixed(0)} MiB`;
const secs = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} s`);

const sizes = values['train-bin'] ? [] : values.sizes.split(',').map(parseCount);
const steps = Number(values.steps);
const work = values.dir ?? mkdtempSync(join(tmpdir(), 'seqloom-bench-data-'));
const binary = !values['no-binary'] && hasPreprocess();
console.log(`pnpm bench data: ${steps} steps of a tiny model (hidden 16), peak RSS = VmHWM of the train process; work folder ${work}`);
if (!binary && !values['no-binary']) console.log('(no `seqloom preprocess` command here: the binarised columns are left empty)');
let dataFlags: string[] = values.tokenizer ? ['--tokenizer', values.tokenizer] : [];
if (values['train-bin']) {
  const run = await runCli(
    ['train', '--data', values['train-bin'], '--out', join(tmpdir(), 'seqloom-bench-data-model'), '--max-steps', values.steps, ...TINY_MODEL],
    Number(values.steps),
  );
  console.log(`train --data ${values['train-bin']}: peak RSS ${mib(run.peakMiB)}, first step ${secs(run.firstStepSeconds)}${run.ok ? '' : ' (failed)'}`);
  if (!run.ok) console.error(run.tail);
}
if (values['valid-pairs'] && sizes.length > 0) {
  const valid = join(work, 'valid.tsv');
  await writeCorpus(valid, parseCount(values['valid-pairs']), 0x7a11d);
  dataFlags = [...dataFlags, '--valid', valid];
}
if (sizes.length > 0) console.log('pairs        TSV bytes   TSV: peak RSS  first step | preprocess: time  peak RSS | bin: peak RSS  first step');
for (const pairs of sizes) {
  const corpus = join(work, `corpus-${pairs}.tsv`);
  const bytes = await writeCorpus(corpus, pairs, 0x5eed + pairs);
  const cells = [String(pairs).padEnd(10), String(bytes).padStart(11)];
  if (!values['no-tsv']) {
    const run = await runCli(['train', '--data', corpus, ...dataFlags, '--out', join(work, 'model-tsv'), '--max-steps', String(steps), ...TINY_MODEL], steps);
    cells.push(run.ok ? mib(run.peakMiB).padStart(14) : 'failed'.padStart(14), secs(run.firstStepSeconds).padStart(11));
    if (!run.ok) console.error(run.tail);
  } else cells.push('—'.padStart(14), '—'.padStart(11));
  if (binary) {
    const bin = join(work, `corpus-${pairs}.bin`);
    const pre = await runCli(['preprocess', '--data', corpus, ...dataFlags, '--out', bin, '--overwrite']);
    cells.push('|', (pre.ok ? secs(pre.seconds) : 'failed').padStart(16), mib(pre.peakMiB).padStart(9));
    if (!pre.ok) console.error(pre.tail);
    const run = await runCli(['train', '--data', bin, '--out', join(work, 'model-bin'), '--max-steps', String(steps), ...TINY_MODEL], steps);
    cells.push('|', run.ok ? mib(run.peakMiB).padStart(13) : 'failed'.padStart(13), secs(run.firstStepSeconds).padStart(11));
    if (!run.ok) console.error(run.tail);
    if (!values.keep) rmSync(bin, { recursive: true, force: true });
  }
  console.log(cells.join(' '));
  if (!values.keep) rmSync(corpus, { force: true });
}
if (!values.keep && values.dir === undefined) rmSync(work, { recursive: true, force: true });
