// `pnpm bench quality charlm [--minutes 10] [--parallel] [--cpu N] [--no-pin]`: seqloom's char-LM recipe
// (recipes/charlm-moby-dick.yaml) and a PyTorch char-LSTM of the same shape, windows,
// streams, carried state and optimiser, each trained for the same wall-clock minutes on
// one core, on the same token streams; prints both validation losses (nats/char).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { COMMANDS, readConfigFile } from '@seqloom/cli';
import { builtinDatasets, loadBuiltinDataset } from '@seqloom/datasets';
import { prepareTrainingData } from '@seqloom/seq2seq';
// first: the anchor's BLAS helper reads the user's OPENBLAS_CORETYPE before seqloom's engine sets it in this process
import { anchorBlas, anchorEnv, anchorUnavailable } from '../lib/torch-anchor.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RECIPE = join(ROOT, 'recipes', 'charlm-moby-dick.yaml');
const SCRIPT = join(ROOT, 'bench', 'anchors', 'torch_charlm.py');
const DATA = 'moby-dick:90-10';

/** The recipe's settings the anchor copies: shape, windows, streams, optimiser, evaluation interval. */
interface Shape {
  embedding: number;
  hidden: number;
  layers: number;
  window: number;
  batch: number;
  lr: number;
  clip: number;
  evalEvery: number;
  carryState: boolean;
}

/** Reads the anchor's settings from the recipe (as `seqloom train --config` reads it), so the two sides cannot drift apart. */
async function recipeShape(): Promise<Shape> {
  const trainCommand = COMMANDS.find((c) => c.name === 'train');
  if (!trainCommand) throw new Error('seqloom has no train command');
  const values = await readConfigFile(RECIPE, ROOT, trainCommand.options ?? [], 'train');
  const recipe = Object.fromEntries(values) as Record<string, unknown>;
  const num = (key: string): number => {
    const value = recipe[key];
    if (typeof value !== 'number') throw new Error(`${RECIPE}: "${key}" must be a number for the anchor to copy it`);
    return value;
  };
  if (recipe['optimizer'] !== 'adam' || recipe['cell'] !== 'lstm')
    throw new Error(`${RECIPE}: the anchor is an Adam-trained LSTM; the recipe must say optimizer: adam, cell: lstm`);
  return {
    embedding: num('embedding'),
    hidden: num('hidden'),
    layers: num('layers'),
    window: num('window'),
    batch: num('batch-size'),
    lr: num('lr'),
    clip: num('clip-norm'),
    evalEvery: num('eval-every'),
    carryState: recipe['carry-state'] !== false,
  };
}

const SHAPE = await recipeShape();

/** One evaluation on the learning curve. */
interface CurvePoint {
  step: number;
  minutes: number;
  validLoss: number;
}

/** What each side reports. */
interface SideResult {
  name: string;
  steps: number;
  validLoss: number;
  charsPerSecond: number;
  curve: CurvePoint[];
  note: string;
}

/**
 * The CPU a side runs on; undefined = not pinned. "One core each" must hold for every
 * thread of a side, not only its compute threads: Node's V8 runs garbage collection and
 * compilation partly on worker threads (0.7 of a core beside the G2P recipe's training
 * loop, under 1 % beside the char-LM's, measured from /proc) and PyTorch keeps pool
 * threads, so each side is pinned to one CPU with `taskset`.
 */
type Pin = number | undefined;

/** `taskset -c N command …` when pinned (Linux util-linux), else the command itself. */
function pinned(pin: Pin, command: string, args: string[]): [string, string[]] {
  return pin === undefined ? [command, args] : ['taskset', ['-c', String(pin), command, ...args]];
}

/** Whether `taskset` can pin a process here. */
function canPin(cpu: number): boolean {
  const probe = spawnSync('taskset', ['-c', String(cpu), 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** A child process's stdout and stderr, rejected with the end of its stderr when it fails. */
function runProcess(pin: Pin, program: string, programArgs: string[], env: NodeJS.ProcessEnv, label: string): Promise<{ out: string; err: string }> {
  const [command, args] = pinned(pin, program, programArgs);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve({ out, err }) : reject(new Error(`${label} failed (exit ${code}): ${err.trim().split('\n').slice(-5).join('\n')}`)),
    );
  });
}

const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** seqloom through its command line, with the recipe: training events from --log-json, the curve from metrics.jsonl. */
async function runSeqloom(minutes: number, dir: string, pin: Pin): Promise<SideResult> {
  const out = join(dir, 'seqloom-model');
  const args = [
    '--conditions=source',
    '--import',
    'tsx',
    'packages/cli/src/main.ts',
    'train',
    '--config',
    RECIPE,
    '--out',
    out,
    '--max-minutes',
    String(minutes),
    '--threads',
    '1',
    '--log-json',
  ];
  const { out: log } = await runProcess(pin, process.execPath, args, { ...process.env, NODE_OPTIONS: '' }, 'seqloom');
  const events = jsonLines(log);
  const done = events.find((e) => e.event === 'done');
  if (!done) throw new Error('seqloom printed no result');
  // training time without evaluations and checkpoints: each step's tokens over its tokens/s (every batch holds
  // batch × window tokens but the text's last, so the mean per step is exact to a fraction of a batch)
  const steps = events.filter((x) => x.event === 'step');
  const perStep = (done.tokensSeen as number) / Math.max(1, steps.length);
  const seconds = steps.reduce((sum, e) => sum + perStep / (e.tokensPerSecond as number), 0);
  const tokens = done.tokensSeen as number;
  const records = jsonLines(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).filter((r) => r.kind === 'eval');
  const curve = records.map((r) => ({ step: r.step as number, minutes: (r.elapsedSeconds as number) / 60, validLoss: r.loss as number }));
  // the backend the child picked: --backend auto picks the same one here
  const { describeBackend, setBackend } = await import('@seqloom/seq2seq');
  await setBackend('auto');
  const backend = describeBackend();
  return {
    name: 'seqloom',
    steps: done.steps as number,
    validLoss: (done.finalMetrics as { loss: number }).loss,
    charsPerSecond: tokens / seconds,
    curve,
    note: `seqloom ${backend ? `${backend}, ` : ''}--threads 1, recipes/charlm-moby-dick.yaml${pinNote(pin)}`,
  };
}

/** The PyTorch char-LSTM on the same streams. */
async function runTorch(minutes: number, dir: string, vocab: number, padId: number, eps: number, pin: Pin): Promise<SideResult> {
  const args = [
    SCRIPT,
    '--train',
    join(dir, 'train.bin'),
    '--valid',
    join(dir, 'valid.bin'),
    '--vocab',
    String(vocab),
    '--pad',
    String(padId),
    '--emb',
    String(SHAPE.embedding),
    '--hidden',
    String(SHAPE.hidden),
    '--layers',
    String(SHAPE.layers),
    '--window',
    String(SHAPE.window),
    '--batch',
    String(SHAPE.batch),
    '--eval-batch',
    String(SHAPE.batch),
    '--lr',
    String(SHAPE.lr),
    '--clip',
    String(SHAPE.clip),
    '--eps',
    String(eps),
    '--minutes',
    String(minutes),
    '--eval-every',
    String(SHAPE.evalEvery),
    '--threads',
    '1',
    ...(SHAPE.carryState ? [] : ['--no-carry-state']),
  ];
  const events = jsonLines((await runProcess(pin, '/usr/bin/python3', args, anchorEnv(1), 'PyTorch char-LSTM')).out);
  const done = events.find((e) => e.event === 'done');
  if (!done) throw new Error('the PyTorch anchor printed no result');
  const curve = events
    .filter((e) => e.event === 'eval')
    .map((e) => ({ step: e.step as number, minutes: e.minutes as number, validLoss: e.validLoss as number }));
  return {
    name: 'PyTorch',
    steps: done.steps as number,
    validLoss: done.validLoss as number,
    charsPerSecond: done.charsPerSecond as number,
    curve,
    note: `PyTorch ${String(done.torch)} nn.LSTM, torch.set_num_threads(1), OpenBLAS ${anchorBlas().core} (${anchorBlas().how})${pinNote(pin)}`,
  };
}

/** The training and validation token streams `[bos, ...text, eos]` exactly as seqloom's run encodes them, for the anchor. */
async function writeStreams(dir: string): Promise<{ vocab: number; padId: number; validChars: number }> {
  const ds = loadBuiltinDataset(DATA);
  if (ds.task !== 'lm') throw new Error(`${DATA} is not a text dataset`);
  const data = await prepareTrainingData({ data: DATA, datasets: builtinDatasets, task: 'lm', tokenizer: 'char', window: SHAPE.window });
  const t = data.targetTokenizer;
  const stream = (text: string) => Int32Array.from([t.bosId, ...t.encode(text), t.eosId]);
  const train = stream(ds.splits.train);
  const valid = stream(ds.splits.valid);
  // the windows seqloom trains on are exactly these streams cut every `window` tokens
  if (data.train.reduce((n, w) => n + w.targetOut.length, 0) !== train.length - 1) throw new Error('training stream and windows disagree');
  writeFileSync(join(dir, 'train.bin'), new Uint8Array(train.buffer));
  writeFileSync(join(dir, 'valid.bin'), new Uint8Array(valid.buffer));
  return { vocab: t.vocabSize, padId: t.padId, validChars: valid.length - 1 };
}

const fmt = (x: number, d = 3) => x.toFixed(d);
const pinNote = (pin: Pin) => (pin === undefined ? ', not pinned' : `, pinned to CPU ${pin}`);

/** A bad flag: bench/quality.ts exits 2 for an error of this name. */
function usageError(message: string): Error {
  const error = new Error(message);
  error.name = 'UsageError';
  return error;
}

function printCurves(sides: SideResult[]): void {
  console.log('\nlearning curve (validation loss, nats/char, by minutes of training):');
  for (const side of sides) {
    const points = side.curve.map((p) => `${fmt(p.minutes, 1)}m ${fmt(p.validLoss)}`);
    console.log(`  ${side.name.padEnd(8)} ${points.join(' · ')}`);
  }
}

/** Runs the char-LM quality bench with its flags (`--minutes N`, `--parallel`, `--keep`, `--cpu N`, `--no-pin`); `bench/quality.ts` calls it as `run`. */
export async function runCharlmBench(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      minutes: { type: 'string', default: '10' },
      parallel: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      cpu: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
    },
  });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) throw usageError(`--minutes must be a positive number, got "${values.minutes}"`);
  const cpus = availableParallelism();
  const cpu = values.cpu === undefined ? cpus - 1 : Number(values.cpu);
  if (!Number.isInteger(cpu) || cpu < 0 || cpu >= cpus) throw usageError(`--cpu must be a CPU number from 0 to ${cpus - 1}, got "${values.cpu}"`);
  if (values.parallel && !values['no-pin'] && cpus < 2)
    throw usageError('--parallel runs the two sides on two CPUs; this machine has one (give --no-pin to share it)');
  const pin = !values['no-pin'];
  // one after the other: both on --cpu; side by side: seqloom on --cpu, PyTorch on the next CPU
  const seqPin: Pin = pin ? cpu : undefined;
  const torchPin: Pin = pin ? (values.parallel ? (cpu + 1) % cpus : cpu) : undefined;
  for (const p of new Set([seqPin, torchPin])) {
    if (p !== undefined && !canPin(p))
      throw new Error(`cannot pin a side to CPU ${p}: \`taskset\` (util-linux) is missing or refused; install it, pick another --cpu, or give --no-pin`);
  }
  const missing = anchorUnavailable();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'seqloom-charlm-'));
  try {
    const { vocab, padId, validChars } = await writeStreams(dir);
    const { OPTIMIZER_DEFAULTS } = await import('@seqloom/seq2seq/tooling');
    const eps = OPTIMIZER_DEFAULTS.adam.epsilon;
    console.log(
      `char-LM on ${DATA}: embedding ${SHAPE.embedding}, LSTM ${SHAPE.hidden}, windows of ${SHAPE.window}, ${SHAPE.batch} streams ${SHAPE.carryState ? 'with the state carried' : 'from zeros'}, ` +
        `Adam ${SHAPE.lr} (clip ${SHAPE.clip}), ${minutes} min each on one core, ${values.parallel ? 'at the same time' : 'one after the other'}` +
        `${pin ? ` (every thread pinned: seqloom to CPU ${seqPin}, PyTorch to CPU ${torchPin})` : ' (not pinned)'}; ` +
        `vocabulary ${vocab}, validation ${validChars.toLocaleString('en-US')} characters`,
    );
    const sides = values.parallel
      ? await Promise.all([runSeqloom(minutes, dir, seqPin), runTorch(minutes, dir, vocab, padId, eps, torchPin)])
      : [await runSeqloom(minutes, dir, seqPin), await runTorch(minutes, dir, vocab, padId, eps, torchPin)];
    console.log('\nside      steps   chars/s   validation loss (nats/char)');
    for (const s of sides)
      console.log(
        `${s.name.padEnd(8)} ${String(s.steps).padStart(6)} ${Math.round(s.charsPerSecond).toLocaleString('en-US').padStart(9)}   ${fmt(s.validLoss, 4)}`,
      );
    printCurves(sides);
    const [seq, torch] = sides as [SideResult, SideResult];
    const verdict = seq.validLoss < torch.validLoss ? 'below' : 'above';
    console.log(`\nseqloom's validation loss is ${fmt(Math.abs(seq.validLoss - torch.validLoss), 4)} nats/char ${verdict} PyTorch's at equal wall-clock.`);
    for (const s of sides) console.log(`  ${s.note}`);
    if (values.keep) console.log(`  files kept in ${dir}`);
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

export { runCharlmBench as run };
