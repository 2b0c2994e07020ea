// Fuzzing of tokenizer.json regular expressions: each case is a generated
// pattern — a known pathological shape (nested or ambiguous repetition, huge
// alternations, trading repetitions) over random atoms, or a random
// combination of atoms, groups and quantifiers — put in a Split
// pre-tokenizer or a Replace normalizer. Loading must refuse it with a
// TokenizerFormatError naming the file and field, or encoding 5,000-character
// adversarial texts must finish within a time bound. Cases run in a child
// process (pattern-case-runner.ts) that is killed when a case overruns, since
// a regular expression cannot be interrupted from inside its own thread.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNNER = fileURLToPath(new URL('./pattern-case-runner.ts', import.meta.url));

/** The source name cases are loaded under: a refusal must name it. */
export const FUZZ_SOURCE = 'fuzz/tokenizer.json';

/** A one-character atom and a character it matches (to build texts that pump it). */
const ATOMS: readonly [string, string][] = [
  ['a', 'a'],
  ['b', 'b'],
  [' ', ' '],
  ['\\s', ' '],
  ['\\w', 'a'],
  ['\\d', '1'],
  ['.', 'a'],
  ['[a-z]', 'a'],
  ['[^a]', 'b'],
  ['\\p{L}', 'é'],
  ['\\p{N}', '1'],
  ['[\\r\\n]', '\n'],
  ['\\S', 'a'],
  ['x', 'x'],
];

/** A generated pattern with the characters its atoms match. */
interface Shape {
  pattern: string;
  pumps: string[];
}

const atom: fc.Arbitrary<Shape> = fc.constantFrom(...ATOMS).map(([pattern, pump]) => ({ pattern, pumps: [pump] }));
const quantifier = fc.constantFrom('*', '+', '?', '{1,3}', '{2,}', '{0,40}', '*?', '+?', '++');
const tail = fc.constantFrom('', '$', '!', '(?!\\S)', '\\b', 'b');

const join = (parts: Shape[], glue: string): Shape => ({ pattern: parts.map((p) => p.pattern).join(glue), pumps: parts.flatMap((p) => p.pumps) });

/** Random combinations of atoms: sequences, alternations, groups and quantifiers, a few levels deep. */
const randomShape: fc.Arbitrary<Shape> = fc.letrec<{ node: Shape }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.tuple(tie('node'), quantifier).map(([s, q]) => ({ pattern: `(?:${s.pattern})${q}`, pumps: s.pumps })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((parts) => join(parts, '')),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((parts) => ({ ...join(parts, '|'), pattern: `(?:${join(parts, '|').pattern})` })),
  ),
})).node;

/** Known pathological shapes over random atoms X and Y. */
const pathological: fc.Arbitrary<Shape> = fc.tuple(atom, atom, fc.nat(9)).map(([x, y, kind]) => {
  const [X, Y] = [x.pattern, y.pattern];
  const pumps = [...x.pumps, ...y.pumps];
  const shapes = [
    `(${X}+)+$`,
    `(${X}|${X})*$`,
    `(${X}*)*$`,
    `${X}*${X}*${X}*!`,
    `(?:${X}|${X}${X})+!`,
    `(${X}{1,30}){1,30}$`,
    `${`${X}?`.repeat(25)}${X.repeat(25)}`,
    Array.from({ length: 3000 }, (_, i) => `${X}${i}`).join('|'),
    `(${X}+${Y}?)*$`,
    `.*${X}.*${Y}.*!`,
  ];
  return { pattern: shapes[kind], pumps };
});

/** One case: the pattern, where it goes, and the texts encoded when it loads. */
export interface PatternCase {
  pattern: string;
  place: 'split' | 'replace';
  texts: string[];
}

/** 5,000-character texts made to make the pattern backtrack: runs of what its atoms match, then a character that breaks the run. */
function adversarialTexts(pumps: string[]): string[] {
  const distinct = [...new Set(pumps)].slice(0, 3);
  const runs = distinct.map((c) => `${c.repeat(5000)}!`);
  return [
    ...runs,
    `${distinct
      .join('')
      .repeat(Math.ceil(5000 / distinct.join('').length))
      .slice(0, 5000)}\u0000`,
  ];
}

/** `runs` cases from `seed`: a third pathological shapes, the rest random combinations. */
export function patternCases(runs: number, seed: number): PatternCase[] {
  const shape = fc.oneof({ arbitrary: pathological, weight: 1 }, { arbitrary: randomShape, weight: 2 });
  const cases = fc.sample(fc.tuple(shape, tail, fc.boolean()), { numRuns: runs, seed });
  return cases.map(([s, end, split]) => ({ pattern: s.pattern + end, place: split ? 'split' : 'replace', texts: adversarialTexts(s.pumps) }));
}

/** What a fuzzing run found. */
export interface PatternFuzzReport {
  cases: number;
  refused: number;
  encoded: number;
  /** Longest load-and-encode time of an accepted case, in ms. */
  slowestMs: number;
  failures: { pattern: string; problem: string }[];
}

/** The child that runs cases, and a way to read its next answer line. */
async function startRunner(): Promise<{ child: ChildProcessWithoutNullStreams; next: () => Promise<string | undefined> }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', RUNNER], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: 'pipe',
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value as string | undefined;
  if ((await next()) !== 'ready') throw new Error('the pattern case runner did not start');
  return { child, next };
}

function within<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Why a runner answer breaks the contract, or undefined. */
function problemOf(answer: Record<string, unknown>): string | undefined {
  if (answer.outcome === 'encoded') return undefined;
  const message = String(answer.message);
  if (answer.outcome !== 'refused' || answer.name !== 'TokenizerFormatError') return `${String(answer.name)}: ${message}`;
  if (!message.startsWith(`${FUZZ_SOURCE}: field "`) || !message.includes('.Regex"')) return `refusal names no file and field: ${message}`;
  if (message.includes('\n')) return `refusal spans lines: ${JSON.stringify(message)}`;
  return undefined;
}

/** Runs `runs` generated pattern cases; each must be refused or load and encode within `timeoutMs` (default 2 s). */
export async function fuzzPatterns(options: { runs: number; seed: number; timeoutMs?: number }): Promise<PatternFuzzReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const report: PatternFuzzReport = { cases: 0, refused: 0, encoded: 0, slowestMs: 0, failures: [] };
  let runner = await startRunner();
  try {
    for (const item of patternCases(options.runs, options.seed)) {
      report.cases += 1;
      runner.child.stdin.write(`${JSON.stringify({ ...item, source: FUZZ_SOURCE })}\n`);
      const line = await within(runner.next(), timeoutMs);
      if (line === 'timeout' || line === undefined) {
        report.failures.push({ pattern: item.pattern, problem: line === 'timeout' ? `no answer within ${timeoutMs} ms` : 'the runner died' });
        runner.child.kill('SIGKILL');
        runner = await startRunner();
        continue;
      }
      const answer = JSON.parse(line) as Record<string, unknown>;
      const problem = problemOf(answer);
      if (problem) report.failures.push({ pattern: item.pattern, problem });
      else if (answer.outcome === 'refused') report.refused += 1;
      else {
        report.encoded += 1;
        report.slowestMs = Math.max(report.slowestMs, answer.ms as number);
      }
    }
  } finally {
    runner.child.kill('SIGKILL');
  }
  return report;
}
