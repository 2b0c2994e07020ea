import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { seqloom, seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
let bad: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('errors'));
  const lines = reversePairs(60, 3);
  lines.splice(2, 0, 'broken line without a tab');
  bad = await writeLines(dir, 'bad.tsv', lines);
});
afterAll(() => cleanup());

/** The error is exactly one line (status lines such as "backend: wasm" may precede it), with no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr
    .trimEnd()
    .split('\n')
    .filter((l) => !/^(backend|data): /.test(l));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('bad input gives a one-line message and a non-zero exit code', () => {
  it('unknown flag: yargs-style suggestion, exit 2 (real binary)', async () => {
    const run = await seqloom(['train', '--data', 'x.tsv', '--hiden', '64']);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe('seqloom: unknown option --hiden for seqloom train; did you mean --hidden? (see seqloom train --help)');
  });

  it('unknown command: suggestion, exit 2', async () => {
    const run = await seqloomInProcess(['genrate']);
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toBe('seqloom: unknown command "genrate" for seqloom; did you mean generate?');
  });

  it('missing data file: names the file, exit 1', async () => {
    const missing = join(dir, 'nope.tsv');
    const run = await seqloomInProcess(['train', '--data', missing, '--out', join(dir, 'm0')]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(`seqloom: ${missing}: cannot read: no such file; check the path`);
  });

  it('malformed data line: names file and line, exit 1; --skip-bad-lines skips and counts it', async () => {
    const run = await seqloomInProcess(['train', '--data', bad, '--out', join(dir, 'm1'), ...TINY_MODEL]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toMatch(new RegExp(`^seqloom: ${bad}:3: no TAB between source and target; expected \`source<TAB>target\``));
    const skipped = await seqloomInProcess(['train', '--data', bad, '--out', join(dir, 'm2'), ...TINY_MODEL, '--max-steps', '2', '--skip-bad-lines']);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(new RegExp(`warning: skipped 1 malformed line\\(s\\), e\\.g\\. ${bad}:3: no TAB`));
  });

  const ranges: [string[], string][] = [
    [['train', '--data', 'x.tsv', '--dropout', '1.5'], '--dropout must be a number in [0, 1), got 1.5'],
    [['train', '--data', 'x.tsv', '--batch-size', 'abc'], '--batch-size must be an integer in [1, ∞), got "abc"'],
    [['train', '--data', 'x.tsv', '--cell', 'lstn'], '--cell must be one of lstm, gru, rnn; got "lstn"'],
    [
      ['train', '--data', 'x.tsv', '--tokenizer', 'sentencepiece'],
      '--tokenizer must be one of char, word, bpe:<size> | wordpiece:<size> | <path to tokenizer.json>; got "sentencepiece"',
    ],
    [['generate', '-m', 'x', '--top-p', '0', 'a'], '--top-p must be a number in (0, 1], got 0'],
    [['generate', '-m', 'x', '--temperature', '-1', 'a'], '--temperature must be a number in (0, ∞), got -1'],
    [['generate', '-m', 'x', '--beam-width', '0', 'a'], '--beam-width must be an integer in [1, ∞), got 0'],
    [['train'], '--data is required: a TSV/JSONL file, a text file (--task lm) or a built-in dataset (cmudict, cmudict:g2p-seq2seq, moby-dick)'],
  ];
  for (const [args, message] of ranges) {
    it(`option out of range: ${args.slice(-2).join(' ')} → exit 2`, async () => {
      const run = await seqloomInProcess(args);
      expect(run.code).toBe(2);
      expect(oneLine(run.stderr)).toBe(`seqloom: ${message}`);
    });
  }

  it('a folder that is not a checkpoint: names the missing file, exit 1', async () => {
    const empty = join(dir, 'not-a-model');
    await mkdir(empty, { recursive: true });
    const run = await seqloomInProcess(['generate', '-m', empty, 'abc']);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(
      `seqloom: ${join(empty, 'config.json')}: missing; expected a checkpoint folder (with config.json) or a training output folder with best/ or last/`,
    );
    await writeFile(join(empty, 'config.json'), '{"format": "seqloom-checkpoint", "formatVersion": 99');
    const corrupt = await seqloomInProcess(['inspect', empty]);
    expect(corrupt.code).toBe(1);
    expect(oneLine(corrupt.stderr)).toBe(`seqloom: ${join(empty, 'config.json')}: not valid JSON (truncated or corrupt); save the checkpoint again`);
  });

  it('decoding options that contradict each other are named by their flags', async () => {
    const model = join(dir, 'm2');
    const nBest = await seqloomInProcess(['generate', '-m', model, '--decoder', 'beam', '--beam-width', '2', '--n-best', '3', 'abc']);
    expect(nBest.code).toBe(2);
    expect(oneLine(nBest.stderr)).toBe('seqloom: --n-best: must be ≤ --beam-width (2); got 3');
    const groups = await seqloomInProcess(['generate', '-m', model, '--decoder', 'beam', '--beam-width', '4', '--beam-groups', '3', 'abc']);
    expect(oneLine(groups.stderr)).toBe('seqloom: --beam-groups: must divide --beam-width (4); got 3');
  });

  it('an --input file that is not UTF-8: names the option, file and line, exit 1', async () => {
    const input = join(dir, 'latin1.txt');
    await writeFile(input, Buffer.concat([Buffer.from('abc\nd'), Buffer.from([0xe9]), Buffer.from('f\n')]));
    const run = await seqloomInProcess(['generate', '-m', join(dir, 'm2'), '--input', input]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toBe(`seqloom: --input ${input} is not UTF-8 (invalid bytes at line 2); re-save it as UTF-8`);
  });

  it('--verbose adds the stack trace', async () => {
    const run = await seqloomInProcess(['generate', '-m', join(dir, 'nowhere'), 'abc', '--verbose', '-q']);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/^seqloom: .*config\.json: missing/);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('--overwrite', () => {
  it('replaces an earlier run in --out only when asked, with every optimizer', async () => {
    const data = await writeLines(dir, 'ok.tsv', reversePairs(40, 4));
    const out = join(dir, 'twice');
    const first = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      out,
      ...TINY_MODEL,
      '--max-steps',
      '1',
      '--optimizer',
      'sgd',
      '--nesterov',
      '--lr-schedule',
      'plateau',
      '--min-lr',
      '0.0001',
    ]);
    expect(first.code, first.stderr).toBe(0);
    const refused = await seqloomInProcess(['train', '--data', data, '--out', out, ...TINY_MODEL, '--max-steps', '1']);
    expect(refused.code).toBe(1);
    const second = await seqloomInProcess([
      'train',
      '--data',
      data,
      '--out',
      out,
      ...TINY_MODEL,
      '--max-steps',
      '1',
      '--optimizer',
      'rmsprop',
      '--rho',
      '0.95',
      '--overwrite',
    ]);
    expect(second.code, second.stderr).toBe(0);
  });
});
