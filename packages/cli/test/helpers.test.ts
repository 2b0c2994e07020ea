import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeqloomError } from '@seqloom/core';
import { DecodeOptionError } from '@seqloom/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIds } from '../src/commands/tokenizer-codec.js';
import { readConfigFile } from '../src/config-file.js';
import { asFlagError, decodeOptionsFromFlags } from '../src/decode-options-from-flags.js';
import { freeFolder } from '../src/demo/free-folder.js';
import type { OptionSpec } from '../src/option-spec.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const specs: OptionSpec[] = [
  { name: 'hidden', kind: 'integer', describe: '' },
  { name: 'lr', alias: 'learning-rate', kind: 'number', describe: '' },
];

describe('readConfigFile', () => {
  it('reads YAML and JSON, accepting kebab, camel, snake case and aliases', async () => {
    await writeFile(join(dir, 'a.yml'), 'hidden: 64\nlearning_rate: 0.1\n');
    await writeFile(join(dir, 'b.json'), '{"learningRate": 0.2}');
    expect([...(await readConfigFile('a.yml', dir, specs, 'train'))]).toEqual([
      ['hidden', 64],
      ['lr', 0.1],
    ]);
    expect([...(await readConfigFile('b.json', dir, specs, 'train'))]).toEqual([['lr', 0.2]]);
  });

  it('names the file and the problem', async () => {
    await writeFile(join(dir, 'list.json'), '[1, 2]');
    await expect(readConfigFile('list.json', dir, specs, 'train')).rejects.toThrow('--config list.json: expected a mapping of option names to values');
    await expect(readConfigFile('missing.yaml', dir, specs, 'train')).rejects.toThrow('--config missing.yaml: no such file');
    await writeFile(join(dir, 'typo.yaml'), 'hiddne: 1\n');
    await expect(readConfigFile('typo.yaml', dir, specs, 'train')).rejects.toThrow(
      'typo.yaml: unknown option "hiddne" for `seqloom train`; did you mean "hidden"?',
    );
  });
});

describe('decoding flags', () => {
  it('passes only the options the user set, leaving "off" values out', () => {
    const options = { decoder: 'sample', topK: 0, topP: 0.9, nBest: 3, seed: 1, maxLength: 20, maxTime: 1.5 };
    const given = new Set(['decoder', 'top-k', 'top-p', 'n-best', 'max-time']);
    expect(decodeOptionsFromFlags(options, given)).toEqual({ strategy: 'sample', topP: 0.9, numReturn: 3, maxTimeMs: 1500 });
  });

  it('renames decode option errors to their flags', () => {
    const error = Object.assign(new Error('numReturn: must be ≤ beamWidth (4); got 5'), { name: 'DecodeOptionError', option: 'numReturn' });
    expect((asFlagError(error) as Error).message).toBe('--n-best: must be ≤ --beam-width (4); got 5');
    const other = new Error('x');
    expect(asFlagError(other)).toBe(other);
  });
});

describe('small helpers', () => {
  it('parses id lists in several notations and rejects bad ids', () => {
    expect(parseIds('1 2 3', 10)).toEqual([1, 2, 3]);
    expect(parseIds('[4, 5,6]', 10)).toEqual([4, 5, 6]);
    expect(() => parseIds('1 x', 10)).toThrow('"x" in "1 x" is not a token id; expected integers from 0 to 9');
    expect(() => parseIds('10', 10)).toThrow('is not a token id');
  });

  it('picks a free folder name instead of overwriting', async () => {
    const base = join(dir, 'demo-model');
    expect(await freeFolder(base)).toBe(base);
    await writeFile(base, '');
    await writeFile(`${base}-2`, '');
    expect(await freeFolder(base)).toBe(`${base}-3`);
  });
});

describe('untilAborted', () => {
  it('ends a stream that is waiting for input when the signal aborts', async () => {
    const { untilAborted } = await import('../src/text-inputs.js');
    const controller = new AbortController();
    async function* slow() {
      yield 'first';
      await new Promise(() => {}); // never delivers a second line
    }
    const seen: string[] = [];
    setTimeout(() => controller.abort(), 20);
    for await (const line of untilAborted(slow(), controller.signal)) seen.push(line);
    expect(seen).toEqual(['first']);
  });
});

describe('describeError', () => {
  it('keeps library messages, marks unexpected errors as internal, and maps exit codes', async () => {
    const { describeError } = await import('../src/describe-error.js');
    const { UsageError } = await import('../src/cli-error.js');
    class DataError extends SeqloomError {
      override name = 'DataError';
    }
    expect(describeError(new UsageError('--x is bad'))).toMatchObject({ line: '--x is bad', exitCode: 2 });
    expect(describeError(new DataError('a.tsv:3: no TAB\n  more'))).toMatchObject({ line: 'a.tsv:3: no TAB', exitCode: 1 });
    expect(describeError(new TypeError('x is undefined')).line).toBe('internal error: x is undefined (run again with --verbose for details)');
    const fs = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES', path: '/x' });
    expect(describeError(fs).line).toBe("EACCES: permission denied, open '/x'");
    expect(describeError('boom')).toEqual({ line: 'internal error: boom', exitCode: 1 });
  });

  it('decides by SeqloomError.userFacing, not by the name of the error class', async () => {
    const { describeError } = await import('../src/describe-error.js');
    class DataError extends SeqloomError {
      override name = 'DataError';
    }
    const named = Object.assign(new Error('cannot read x of undefined'), { name: 'DataError' });
    expect(describeError(named).line).toBe('internal error: cannot read x of undefined (run again with --verbose for details)');
    expect(describeError(new SeqloomError('a worker thread exited (code 1)', { userFacing: false })).line).toBe(
      'internal error: a worker thread exited (code 1) (run again with --verbose for details)',
    );
    expect(describeError(new DataError('a.tsv: no TAB', { file: 'a.tsv' }))).toMatchObject({ line: 'a.tsv: no TAB', exitCode: 1 });
    expect(describeError(new DecodeOptionError('topP', 'expected a number in (0, 1], got 2')).line).toBe('topP: expected a number in (0, 1], got 2');
    expect(describeError(new TypeError('x')).line).toMatch(/^internal error: /);
  });
});
