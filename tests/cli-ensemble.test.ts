import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { jsonLines, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let a: string;
let b: string;
let other: string;
let data: string;

/** Trains a tiny model on `file` with `seed` into `dir/name`. */
async function trainTiny(file: string, name: string, seed: number, extra: string[] = []): Promise<string> {
  const out = join(dir, name);
  const run = await seqloomInProcess([
    'train',
    '--data',
    file,
    '--out',
    out,
    ...TINY_MODEL,
    '--epochs',
    '2',
    '--lr',
    '0.01',
    '--seed',
    String(seed),
    '-q',
    ...extra,
  ]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return out;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('ensemble'));
  data = await writeLines(dir, 'reverse.tsv', reversePairs(200));
  // other letters: another character vocabulary
  const shifted = reversePairs(60).map((l) => l.replace(/[a-h]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 10)));
  a = await trainTiny(data, 'a', 1);
  // another seed holds out other validation pairs, so the tokenizer is given: the first model's
  b = await trainTiny(data, 'b', 2, ['--tokenizer', join(a, 'best', 'tokenizer.json')]);
  other = await trainTiny(await writeLines(dir, 'other.tsv', shifted), 'other', 3);
}, 120_000);
afterAll(() => cleanup());

describe('ensembles: --model a --model b', () => {
  it('an ensemble of a model with itself decodes exactly as the model (beam, n-best)', async () => {
    const args = ['--decoder', 'beam', '--beam-width', '3', '--n-best', '2', '--json', '-q', 'abc', 'hgfed'];
    const one = await seqloomInProcess(['generate', '--model', a, ...args]);
    const twice = await seqloomInProcess(['generate', '--model', a, '--model', a, ...args]);
    expect(twice.stderr).toBe('');
    expect(twice.code).toBe(0);
    const [x, y] = [jsonLines(one.stdout), jsonLines(twice.stdout)];
    expect(y.map((r) => r.input)).toEqual(['abc', 'hgfed']);
    expect(y.map((r) => r.nBest)).toHaveLength(2);
    y.forEach((r, i) => {
      expect(r.text).toBe(x[i].text);
      expect(r.score as number).toBeCloseTo(x[i].score as number, 4);
    });
  });

  it('generate and eval with two different models', async () => {
    const gen = await seqloomInProcess(['generate', '--model', a, '--model', b, '-q', 'abcd', 'gfe']);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    expect(gen.stdout.trim().split('\n')).toHaveLength(2);
    const evalArgs = ['--data', data, '--limit', '40', '--json', '-q'];
    const [ea, eb, ens] = await Promise.all([
      seqloomInProcess(['eval', '--model', a, ...evalArgs]),
      seqloomInProcess(['eval', '--model', b, ...evalArgs]),
      seqloomInProcess(['eval', '--model', a, '--model', b, ...evalArgs]),
    ]);
    expect(ens.stderr).toBe('');
    expect(ens.code).toBe(0);
    const [ra, rb, re] = [ea, eb, ens].map((r) => jsonLines(r.stdout).at(-1)!);
    expect(re.examples).toBe(40);
    // the mean distribution's NLL is at most the mean of the members' NLLs (Jensen), and finite
    expect(re.loss as number).toBeLessThanOrEqual(((ra.loss as number) + (rb.loss as number)) / 2 + 1e-6);
    expect(Number.isFinite(re.exactMatch)).toBe(true);
  });

  it('the ensemble loss of a model with itself is the model’s own loss (step-model scoring = batched evaluation)', async () => {
    const evalArgs = ['--data', data, '--limit', '30', '--json', '-q'];
    const one = jsonLines((await seqloomInProcess(['eval', '--model', a, ...evalArgs])).stdout).at(-1)!;
    const twice = jsonLines((await seqloomInProcess(['eval', '--model', a, '--model', a, ...evalArgs])).stdout).at(-1)!;
    expect(twice.loss as number).toBeCloseTo(one.loss as number, 4);
    expect(twice.tokenAccuracy).toBeCloseTo(one.tokenAccuracy as number, 6);
    expect(twice.exactMatch).toBe(one.exactMatch);
  });

  it('refuses models with different tokenizers, and --threads with an ensemble', async () => {
    const bad = await seqloomInProcess(['generate', '--model', a, '--model', other, 'abc']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot form an ensemble: their (source|target) tokenizers differ/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const threads = await seqloomInProcess(['generate', '--model', a, '--model', b, '--threads', '2', 'abc']);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/--threads 2: an ensemble of 2 models decodes on one thread/);
  });
});
