// Property-based fuzzing of every file loader and reader: each case mutates
// or truncates one file of a small model folder (or a data file), runs the
// loader that reads it, and checks that it either succeeds or throws a typed
// seqloom error naming a file, within a time bound. Shared by the test in
// tests/ (a few hundred cases) and `pnpm bench fuzz --runs N`.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, DataError, loadTrainedModel, prepareTrainingData, Seq2SeqModel, train } from '@seqloom/seq2seq';
import { filesReader, openTrainedModel, urlReader } from '@seqloom/seq2seq/browser';
import { readPairs, readText } from '@seqloom/seq2seq/data';
import { readOptimizerState, readTrainingState } from '@seqloom/seq2seq/tooling';
import { loadTokenizer, TokenizerError } from '@seqloom/tokenizer';
import fc from 'fast-check';

/** A file the fuzzer mutates and the loader that reads it. */
interface Target {
  /** The file, relative to the fixture folder. */
  file: string;
  json: boolean;
  load(root: string): Promise<unknown>;
}

const CKPT = 'model/last';

async function loadModel(root: string): Promise<void> {
  const trained = await loadTrainedModel(join(root, CKPT), { onWarning: () => {} });
  trained.dispose();
}

/** A fetch over the fixture folder, as a static server answers (404 for a missing file). */
const SERVER = 'http://127.0.0.1:9';
const diskFetch = (async (url: string) => {
  const body = await readFile(decodeURIComponent(new URL(url).pathname)).catch(() => null);
  return body === null ? new Response('', { status: 404 }) : new Response(new Uint8Array(body));
}) as typeof fetch;

/** The outcome of one way of loading: 'ok', or the error's message with the folder's URL written as its path. */
async function outcome(load: Promise<{ dispose(): void }>): Promise<string> {
  try {
    (await load).dispose();
    return 'ok';
  } catch (error) {
    if (!(error instanceof CheckpointError || error instanceof TokenizerError)) throw error;
    return error.message.split(SERVER).join('');
  }
}

/**
 * The model loaded from disk, from a URL and from picked files: all three
 * must succeed or fail alike, with the same message (the checks are one
 * code, whatever the files come from). The disk loader's error is rethrown.
 */
async function loadModelEverywhere(root: string): Promise<void> {
  const dir = join(root, CKPT);
  const files = await Promise.all((await readdir(dir)).map(async (name) => new File([new Uint8Array(await readFile(join(dir, name)))], name)));
  const [disk, served, picked] = [
    await outcome(loadTrainedModel(dir, { onWarning: () => {} })),
    await outcome(openTrainedModel(urlReader(`${SERVER}${dir}/`, { fetch: diskFetch }), { onWarning: () => {} })),
    await outcome(openTrainedModel(filesReader(files, dir), { onWarning: () => {} })),
  ];
  if (served !== disk || picked !== disk) {
    throw new Error(`loaders disagree: disk ${JSON.stringify(disk)}, URL ${JSON.stringify(served)}, picked files ${JSON.stringify(picked)}`);
  }
  await loadModel(root);
}

async function loadOptimizer(root: string): Promise<void> {
  const { state } = await readOptimizerState(join(root, CKPT));
  for (const slot of state.slots.values()) slot.dispose();
}

const TARGETS: readonly Target[] = [
  { file: `${CKPT}/config.json`, json: true, load: loadModelEverywhere },
  { file: `${CKPT}/weights.json`, json: true, load: loadModelEverywhere },
  { file: `${CKPT}/weights.bin`, json: false, load: loadModelEverywhere },
  { file: `${CKPT}/generation.json`, json: true, load: loadModelEverywhere },
  { file: `${CKPT}/tokenizer.json`, json: true, load: loadModelEverywhere },
  { file: `${CKPT}/tokenizer.json`, json: true, load: (root) => loadTokenizer(join(root, CKPT)) },
  { file: `${CKPT}/tokenizer_config.json`, json: true, load: (root) => loadTokenizer(join(root, CKPT)) },
  { file: `${CKPT}/tokenizer_config.json`, json: true, load: loadModel },
  { file: `${CKPT}/optimizer.json`, json: true, load: loadOptimizer },
  { file: `${CKPT}/optimizer.bin`, json: false, load: loadOptimizer },
  { file: `${CKPT}/state.json`, json: true, load: (root) => readTrainingState(join(root, CKPT)) },
  { file: 'pairs.tsv', json: false, load: (root) => readPairs(join(root, 'pairs.tsv')) },
  { file: 'pairs.jsonl', json: false, load: (root) => readPairs(join(root, 'pairs.jsonl')) },
  { file: 'text.txt', json: false, load: (root) => readText(join(root, 'text.txt')) },
];

const PAIRS = ['abc\tcba', 'hello\tolleh', 'data\tatad', 'word\tdrow', 'fuzz\tzzuf', 'seq\tqes', 'loom\tmool', 'tab\tbat'];

/** A small trained model folder and data files, in a new temporary folder. */
export async function makeFuzzFixture(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'seqloom-fuzz-'));
  const pairs = PAIRS.map((l) => ({ source: l.split('\t')[0], target: l.split('\t')[1] }));
  const data = await prepareTrainingData({ data: { train: pairs }, tokenizer: 'char' });
  const t = data.targetTokenizer;
  const model = Seq2SeqModel.create({
    sourceVocabSize: t.vocabSize,
    targetVocabSize: t.vocabSize,
    hiddenSize: 8,
    embeddingSize: 4,
    padId: t.padId,
    bosId: t.bosId,
    eosId: t.eosId,
    sourcePadId: t.padId,
  });
  const summary = await train({ model, train: data.train, batchSize: 4, maxSteps: 1, outDir: join(root, 'model'), tokenizers: { target: t } });
  summary.model.dispose();
  await writeFile(join(root, 'pairs.tsv'), `${PAIRS.join('\n')}\n`);
  await writeFile(join(root, 'pairs.jsonl'), `${pairs.map((p) => JSON.stringify(p)).join('\n')}\n`);
  await writeFile(join(root, 'text.txt'), 'Call me Ishmael.\nSome years ago, never mind how long precisely.\n');
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** How one case changes a file. */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'bytes'; edits: { at: number; byte: number }[] }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'json'; node: number; value: unknown };

/** Values that have broken loaders elsewhere: huge, negative, fractional sizes, escaping paths, wrong types. */
const HOSTILE_VALUES = fc.constantFrom<unknown>(
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53,
  1e308,
  16384,
  65536,
  '',
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\x',
  'a/../../b',
  null,
  true,
  [],
  {},
  [[]],
  [-1],
  [2 ** 31, 2 ** 31],
  '__proto__',
  { __proto__: null },
);

const MUTATION: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('bytes' as const),
      edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }), weight: 1 },
  // Twice as many JSON edits as each other kind: they get past the parser to the checks behind it.
  { arbitrary: fc.record({ kind: fc.constant('json' as const), node: fc.nat(), value: fc.oneof(HOSTILE_VALUES, fc.jsonValue({ maxDepth: 2 })) }), weight: 2 },
);

/** Every value position of a JSON document, as setter functions (the root excluded). */
function jsonSlots(value: unknown): ((v: unknown) => void)[] {
  const slots: ((v: unknown) => void)[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Object.keys(node)) {
      const holder = node as Record<string, unknown>;
      slots.push((v) => (holder[key] = v));
      visit(holder[key]);
    }
  };
  visit(value);
  return slots;
}

/** The mutated bytes of `original`. */
export function applyMutation(original: Buffer, mutation: Mutation, json: boolean): Buffer {
  const length = original.length;
  switch (mutation.kind) {
    case 'truncate':
      return original.subarray(0, length === 0 ? 0 : mutation.at % length);
    case 'bytes': {
      const copy = Buffer.from(original);
      for (const edit of mutation.edits) if (length > 0) copy[edit.at % length] = edit.byte;
      return copy;
    }
    case 'insert': {
      const at = length === 0 ? 0 : mutation.at % (length + 1);
      return Buffer.concat([original.subarray(0, at), Buffer.from(mutation.text), original.subarray(at)]);
    }
    case 'json': {
      if (!json) return original.subarray(0, length === 0 ? 0 : mutation.node % length);
      const doc = JSON.parse(original.toString('utf8')) as unknown;
      const slots = jsonSlots(doc);
      if (slots.length > 0) slots[mutation.node % slots.length](structuredClone(mutation.value));
      return Buffer.from(JSON.stringify(doc));
    }
  }
}

/** A case that broke the contract. */
export interface FuzzFailure {
  file: string;
  mutation: Mutation;
  problem: string;
}

/** What a fuzzing run tried and found. */
export interface FuzzReport {
  cases: number;
  /** Cases per mutated file. */
  perFile: Record<string, number>;
  /** Cases the loader accepted (the mutation kept the file valid). */
  accepted: number;
  failures: FuzzFailure[];
}

const SEQLOOM_ERRORS = [CheckpointError, TokenizerError, DataError];

/** Why an error breaks the contract, or undefined when it is a typed seqloom error naming a file of `root`. */
function contractProblem(error: unknown, root: string): string | undefined {
  if (!SEQLOOM_ERRORS.some((type) => error instanceof type)) {
    return `untyped ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  }
  const message = (error as Error).message;
  if (!message.includes(root)) return `error names no file: ${message}`;
  if (message.includes('\n')) return `error spans lines: ${JSON.stringify(message)}`;
  return undefined;
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@link fuzzLoaders}. */
export interface FuzzOptions {
  root: string;
  runs: number;
  seed: number;
  /** Time bound per case. Default 5 s. */
  timeoutMs?: number;
  /** Memory bound: resident memory may not grow above this. Default 1 GiB. */
  maxGrowthBytes?: number;
}

/** Runs `runs` mutated-file cases over every loader and reports what broke the contract. */
export async function fuzzLoaders(options: FuzzOptions): Promise<FuzzReport> {
  const { root } = options;
  const cases = fc.sample(fc.tuple(fc.nat(TARGETS.length - 1), MUTATION), { numRuns: options.runs, seed: options.seed });
  const originals = new Map<string, Buffer>();
  for (const target of TARGETS) originals.set(target.file, await readFile(join(root, target.file)));
  const report: FuzzReport = { cases: 0, perFile: {}, accepted: 0, failures: [] };
  const baseline = process.memoryUsage().rss;
  for (const [index, mutation] of cases) {
    const target = TARGETS[index];
    const path = join(root, target.file);
    await writeFile(path, applyMutation(originals.get(target.file)!, mutation, target.json));
    report.cases += 1;
    report.perFile[target.file] = (report.perFile[target.file] ?? 0) + 1;
    const fail = (problem: string) => report.failures.push({ file: target.file, mutation, problem });
    try {
      const outcome = await withTimeout(target.load(root), options.timeoutMs ?? 5000);
      if (outcome === 'timeout') fail(`no answer within ${options.timeoutMs ?? 5000} ms`);
      else report.accepted += 1;
    } catch (error) {
      const problem = contractProblem(error, root);
      if (problem) fail(problem);
    }
    const growth = process.memoryUsage().rss - baseline;
    if (growth > (options.maxGrowthBytes ?? 2 ** 30)) fail(`resident memory grew by ${(growth / 2 ** 20).toFixed(0)} MiB`);
    await writeFile(path, originals.get(target.file)!);
  }
  return report;
}
