import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, TINY_MODEL, tempFolder, writeLines } from './helpers/fixtures.js';
import { type Finished, finished, jsonLines, seqloomInProcess, startSeqloom } from './helpers/run-seqloom.js';

// Standard input and arguments are held to the same strict UTF-8 reading as --input:
// bytes that are not UTF-8 are an error naming the line, and a byte-order mark is dropped.

let dir: string;
let cleanup: () => Promise<void>;
let model: string;
let tokenizer: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('strict-inputs'));
  const data = await writeLines(dir, 'reverse.tsv', reversePairs(80, 5));
  model = join(dir, 'model');
  const run = await seqloomInProcess(['train', '--data', data, '--out', model, ...TINY_MODEL, '--max-steps', '2', '-q']);
  expect(run.code, run.stderr).toBe(0);
  tokenizer = join(dir, 'char.json');
  const corpus = await writeLines(dir, 'corpus.txt', ['abc def', 'ghi']);
  expect((await seqloomInProcess(['tokenizer', 'train', corpus, '--type', 'char', '--out', tokenizer])).code).toBe(0);
}, 120_000);
afterAll(() => cleanup());

/** Runs the real binary with raw bytes on standard input. */
async function withStdin(args: readonly string[], bytes: Buffer): Promise<Finished> {
  const child = startSeqloom(args);
  const done = finished(child);
  child.stdin.end(bytes);
  return done;
}

/** The last line of stderr (status lines such as "backend: wasm" may precede it). */
function lastLine(stderr: string): string {
  return stderr.trimEnd().split('\n').at(-1) ?? '';
}

const BAD_SECOND_LINE = Buffer.from([...Buffer.from('abc\n'), 0xff, 0x0a]);

describe('standard input is read as strictly as --input', () => {
  it('generate --stream: a byte that is not UTF-8 is an error naming standard input and the line, exit 1', async () => {
    const run = await withStdin(['generate', '-m', model, '--stream', '--backend', 'wasm'], BAD_SECOND_LINE);
    expect(run.code, run.stderr).toBe(1);
    expect(lastLine(run.stderr)).toBe('seqloom: standard input is not UTF-8 (invalid bytes at line 2); send UTF-8 text');
  });

  it('tokenizer encode: the same error, where the bad byte used to become <unk>', async () => {
    const run = await withStdin(['tokenizer', 'encode', '-t', tokenizer, '--json'], BAD_SECOND_LINE);
    expect(run.code, run.stderr).toBe(1);
    expect(lastLine(run.stderr)).toBe('seqloom: standard input is not UTF-8 (invalid bytes at line 2); send UTF-8 text');
    expect(jsonLines(run.stdout).map((r) => r.text)).toEqual(['abc']);
  });

  it('tokenizer encode: a byte-order mark on standard input is dropped, as --input drops it', async () => {
    const run = await withStdin(['tokenizer', 'encode', '-t', tokenizer, '--json'], Buffer.from('\ufeffabc\r\nghi\n'));
    expect(run.code, run.stderr).toBe(0);
    const plain = await seqloomInProcess(['tokenizer', 'encode', '-t', tokenizer, '--json', 'abc', 'ghi']);
    expect(jsonLines(run.stdout)).toEqual(jsonLines(plain.stdout));
    expect(jsonLines(run.stdout)[0].text).toBe('abc');
  });
});

describe('arguments are held to the same check', () => {
  it('an argument holding U+FFFD (bytes that were not UTF-8) is refused, naming the argument', async () => {
    const run = await seqloomInProcess(['tokenizer', 'encode', '-t', tokenizer, 'abc', 'd\ufffdf']);
    expect(run.code).toBe(1);
    expect(lastLine(run.stderr)).toMatch(/^seqloom: input argument 2 is not UTF-8 \(U\+FFFD at character 2/);
    const generate = await seqloomInProcess(['generate', '-m', model, '\ufffdabc']);
    expect(generate.code).toBe(1);
    expect(lastLine(generate.stderr)).toMatch(/^seqloom: input argument 1 is not UTF-8/);
  });

  it('a leading byte-order mark on an argument is dropped', async () => {
    const withBom = await seqloomInProcess(['tokenizer', 'encode', '-t', tokenizer, '--json', '\ufeffabc']);
    const plain = await seqloomInProcess(['tokenizer', 'encode', '-t', tokenizer, '--json', 'abc']);
    expect(withBom.code).toBe(0);
    expect(jsonLines(withBom.stdout)).toEqual(jsonLines(plain.stdout));
  });
});
