import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { finished, jsonLines, seqloom, seqloomInProcess, startSeqloom } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let model: string;
let data: string;
let trainEvents: Record<string, unknown>[];

beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('model'));
  data = await writeLines(dir, 'reverse.tsv', reversePairs(300));
  model = join(dir, 'model');
  const run = await seqloom(['train', '--data', data, '--out', model, ...TINY_MODEL, '--epochs', '3', '--lr', '0.01', '--log-json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  trainEvents = jsonLines(run.stdout);
});
afterAll(() => cleanup());

describe('seqloom train (tiny model on a fixture)', () => {
  it('logs JSON events for steps, evaluations, checkpoints and the result', () => {
    const kinds = new Set(trainEvents.map((e) => e.event));
    expect([...kinds]).toEqual(expect.arrayContaining(['start', 'step', 'eval', 'checkpoint', 'done']));
    const steps = trainEvents.filter((e) => e.event === 'step');
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    for (const s of steps) expect(Number.isFinite(s.loss)).toBe(true);
    const done = trainEvents.at(-1)!;
    expect(done).toMatchObject({ event: 'done', stopReason: 'epochs', steps: steps.length });
    expect(Number(done.bestValidLoss)).toBeLessThan(Number(steps[0].loss));
  });

  it('writes best/, last/ and run.json', async () => {
    for (const f of ['best/config.json', 'best/weights.bin', 'best/tokenizer.json', 'last/state.json', 'last/optimizer.json']) {
      expect(existsSync(join(model, f)), f).toBe(true);
    }
    const run = JSON.parse(await readFile(join(model, 'run.json'), 'utf8'));
    expect(run.options).toMatchObject({ data, hidden: 32, epochs: 3, lr: 0.01 });
  });

  it('refuses to overwrite an existing model folder', async () => {
    const again = await seqloomInProcess(['train', '--data', data, '--out', model, ...TINY_MODEL]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe(`seqloom: --out ${model} already exists; choose another path or pass --overwrite to replace it`);
  });
});

describe('seqloom generate', () => {
  const decoders: [string, string[]][] = [
    ['greedy', []],
    ['beam', ['--beam-width', '4', '--n-best', '3', '--length-penalty', 'wu']],
    ['sample', ['--n-best', '2', '--temperature', '0.7', '--top-k', '5', '--top-p', '0.9', '--seed', '7']],
    ['exhaustive', ['--max-length', '5', '--n-best', '2']],
  ];
  for (const [decoder, flags] of decoders) {
    it(`--decoder ${decoder} --json gives one parsed object per input`, async () => {
      const run = await seqloomInProcess(['generate', '-m', model, '--decoder', decoder, ...flags, '--json', '-q', 'abc', 'hgfe']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const results = jsonLines(run.stdout);
      expect(results.map((r) => r.input)).toEqual(['abc', 'hgfe']);
      for (const r of results) {
        expect(typeof r.text).toBe('string');
        expect(Array.isArray(r.ids)).toBe(true);
        expect(['eos', 'length']).toContain(r.finishReason);
        const nBest = r.nBest as { score: number; text: string }[];
        expect(nBest.length).toBe(decoder === 'greedy' ? 1 : decoder === 'beam' ? 3 : 2);
        expect(nBest[0].text).toBe(r.text);
        if (decoder !== 'sample') for (let i = 1; i < nBest.length; i++) expect(nBest[i].score).toBeLessThanOrEqual(nBest[i - 1].score);
      }
    });
  }

  it('--threads 2 decodes on two threads and gives the same beam output', async () => {
    const args = ['generate', '-m', model, '--backend', 'wasm', '--decoder', 'beam', '--json', 'abc', 'hgfe', 'abcdef'];
    const [one, two] = [await seqloomInProcess(args), await seqloomInProcess([...args, '--threads', '2'])];
    expect(two.code).toBe(0);
    expect(one.stderr).toMatch(/^backend: wasm \(1 thread\)$/m);
    expect(two.stderr).toMatch(/^backend: wasm \(1 thread\), decoding on 2 threads$/m);
    const texts = (run: { stdout: string }) => jsonLines(run.stdout).map((r) => r.text);
    expect(texts(two)).toEqual(texts(one));
    const bad = await seqloomInProcess([...args, '--threads', '9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads/);
  });

  it('train --data-parallel 2 shares each batch between two threads and learns', async () => {
    const out = join(dir, 'parallel');
    const run = await seqloom(['train', '--data', data, '--out', out, ...TINY_MODEL, '--epochs', '2', '--lr', '0.01', '--data-parallel', '2']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^backend: wasm \(1 thread\), training on 2 threads$/m);
    const losses = [...run.stderr.matchAll(/valid loss ([0-9.]+)/g)].map((m) => Number(m[1]));
    expect(losses.length).toBeGreaterThanOrEqual(2);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  it('train --threads 2 runs on the threaded wasm build', async () => {
    const out = join(dir, 'threaded');
    const run = await seqloom(['train', '--data', data, '--out', out, ...TINY_MODEL, '--max-steps', '2', '--threads', '2']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^backend: wasm \(2 threads\)$/m);
  });

  it('samples the same text for the same seed', async () => {
    const args = ['generate', '-m', model, '--decoder', 'sample', '--seed', '3', '-q', 'abcd'];
    const [a, b] = [await seqloomInProcess(args), await seqloomInProcess(args)];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('streams stdin: the output for line N is printed before line N+1 is sent', async () => {
    const child = startSeqloom(['generate', '-m', model, '-q']);
    const done = finished(child);
    const outputs: string[] = [];
    let buffer = '';
    const nextLine = () =>
      new Promise<string>((resolve) => {
        const onData = (chunk: Buffer | string) => {
          buffer += chunk.toString();
          const newline = buffer.indexOf('\n');
          if (newline === -1) return;
          child.stdout.off('data', onData);
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          resolve(line);
        };
        child.stdout.on('data', onData);
      });
    for (const input of ['abc', 'bcd', 'hgf']) {
      const line = nextLine();
      child.stdin.write(`${input}\n`);
      outputs.push(await line);
    }
    child.stdin.end();
    const result = await done;
    expect(result.code).toBe(0);
    expect(outputs).toHaveLength(3);
    const batch = await seqloomInProcess(['generate', '-m', model, '-q', 'abc', 'bcd', 'hgf']);
    expect(outputs).toEqual(batch.stdout.split('\n').slice(0, -1));
  });

  it('Ctrl-C stops generate while it waits for the next stdin line (exit 130)', async () => {
    const child = startSeqloom(['generate', '-m', model, '-q']);
    const done = finished(child);
    const firstOutput = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdin.write('abc\n');
    await firstOutput;
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stdout.split('\n')).toHaveLength(2);
  });

  it('--stream prints the text token by token and ends each input with a newline', async () => {
    const run = await seqloomInProcess(['generate', '-m', model, '--stream', '-q'], { stdinLines: ['abc', 'hgfe'] });
    const plain = await seqloomInProcess(['generate', '-m', model, '-q', 'abc', 'hgfe']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(plain.stdout);
  });
});

describe('seqloom eval and inspect', () => {
  it('eval --json reports loss, perplexity and every text metric', async () => {
    const test = await writeLines(dir, 'test.tsv', [...reversePairs(40, 99), 'abc\tcba', 'abc\txyz']);
    const run = await seqloomInProcess(['eval', '-m', model, '--data', test, '--json', '-q']);
    expect(run.code).toBe(0);
    const [report] = jsonLines(run.stdout);
    expect(report.examples).toBe(41); // "abc" has two references
    for (const key of ['exactMatch', 'tokenErrorRate', 'characterErrorRate', 'wordErrorRate', 'tokenAccuracy']) {
      expect(report[key] as number, key).toBeGreaterThanOrEqual(0);
    }
    expect(report.perplexity).toBeCloseTo(Math.exp(report.loss as number), 6);
    expect(report.bleu as number).toBeLessThanOrEqual(100);
    expect(report.chrF as number).toBeLessThanOrEqual(100);
  });

  it('eval --g2p adds word and phoneme error rates, and the oracle over the whole beam', async () => {
    const test = await writeLines(dir, 'g2p-test.tsv', [...reversePairs(30, 5), 'abc\tcba', 'abc\txyz']);
    const beam = await seqloomInProcess(['eval', '-m', model, '--data', test, '--g2p', '--decoder', 'beam', '--beam-width', '3', '--json', '-q']);
    expect(beam.code).toBe(0);
    const [report] = jsonLines(beam.stdout);
    const g2p = report.g2p as { words: number; wordErrorRate: number; phonemeErrorRate: number; oracle: { nBest: number; wordErrorRate: number } };
    expect(g2p.words).toBe(31);
    expect(g2p.wordErrorRate).toBeCloseTo(1 - (report.exactMatch as number), 12);
    // whitespace-separated targets: the phoneme error rate is the word-level edit rate of the texts
    expect(g2p.phonemeErrorRate).toBeCloseTo(report.wordErrorRate as number, 12);
    expect(g2p.oracle.nBest).toBe(3);
    expect(g2p.oracle.wordErrorRate).toBeLessThanOrEqual(g2p.wordErrorRate);
    // returning the whole beam leaves the best hypothesis as it was
    const top1 = await seqloomInProcess([
      'eval',
      '-m',
      model,
      '--data',
      test,
      '--g2p',
      '--decoder',
      'beam',
      '--beam-width',
      '3',
      '--n-best',
      '1',
      '--json',
      '-q',
    ]);
    const [single] = jsonLines(top1.stdout);
    expect((single.g2p as { wordErrorRate: number; oracle?: unknown }).wordErrorRate).toBe(g2p.wordErrorRate);
    expect((single.g2p as { oracle?: unknown }).oracle).toBeUndefined();
    const text = await seqloomInProcess(['eval', '-m', model, '--data', test, '--g2p', '--decoder', 'beam', '--beam-width', '3', '-q']);
    expect(text.stdout).toMatch(
      /^G2P: WER [\d.]+% \(\d+\/31 words wrong\) {2}PER [\d.]+% \(\d+\/\d+ phonemes\) {2}oracle WER \(3-best\) [\d.]+% \(\d+\/31\)$/m,
    );
    // not asked for, and not a pronunciation dictionary: no G2P section
    const plain = await seqloomInProcess(['eval', '-m', model, '--data', test, '--json', '-q']);
    expect(jsonLines(plain.stdout)[0].g2p).toBeUndefined();
    // a built-in pronunciation dictionary is scored as G2P without asking
    const cmu = await seqloomInProcess(['eval', '-m', model, '--data', 'cmudict:g2p-seq2seq', '--limit', '4', '--json', '-q']);
    expect(cmu.code).toBe(0);
    expect(jsonLines(cmu.stdout)[0].g2p).toMatchObject({ words: 4 });
    const off = await seqloomInProcess(['eval', '-m', model, '--data', 'cmudict:g2p-seq2seq', '--limit', '4', '--no-g2p', '--json', '-q']);
    expect(jsonLines(off.stdout)[0].g2p).toBeUndefined();
  });

  it('eval prints a readable report with examples', async () => {
    const run = await seqloomInProcess(['eval', '-m', model, '--data', data, '--limit', '5', '--show', '2', '--decoder', 'beam', '-q']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/evaluated 5 sources .*\(beam decoding\)/);
    expect(run.stdout).toMatch(/exact match .*%/);
    expect(run.stdout).toMatch(/BLEU [\d.]+ {2}chrF [\d.]+/);
    expect(run.stdout.split('\n').filter((l) => /^[✓✗] /.test(l))).toHaveLength(2);
  });

  it('inspect --json describes config, parameters, vocabulary and history', async () => {
    const run = await seqloomInProcess(['inspect', model, '--json', '-q']);
    expect(run.code).toBe(0);
    const [info] = jsonLines(run.stdout);
    expect(info.model).toMatchObject({ task: 'seq2seq', hiddenSize: 32, embeddingSize: 16, cell: 'lstm' });
    expect(info.parameters as number).toBeGreaterThan(1000);
    expect(info.vocabulary).toMatchObject({ shared: true });
    expect((info.history as { steps: number }).steps).toBeGreaterThan(0);
    expect(info.backend).toMatch(/^(native|wasm)$/); // the engine it was trained on: native where the addon is built
  });
});
