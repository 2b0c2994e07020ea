// Reproductions of hostile model folders and inputs, run through the real
// `seqloom` binary: files named outside a model folder, tampered shapes,
// very long sequences, damaged state.json and the tokenizer messages.
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, tempFolder, writeLines } from './helpers/fixtures.js';
import { type Finished, finished, seqloom, startSeqloom } from './helpers/run-seqloom.js';

const SMALL = ['--hidden', '16', '--embedding', '8', '--batch-size', '16', '--backend', 'wasm'];

let dir: string;
let cleanup: () => Promise<void>;
let model: string;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('hostile'));
  data = await writeLines(dir, 'reverse.tsv', reversePairs(80, 5));
  model = join(dir, 'm');
  const run = await seqloom(['train', '--data', data, '--out', model, ...SMALL, '--max-steps', '3']);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(() => cleanup());

/** A copy of the trained model folder, changed by `edit` (given the copy's best/ folder). */
async function tampered(name: string, edit: (best: string) => Promise<void>): Promise<string> {
  const copy = join(dir, name);
  await cp(model, copy, { recursive: true });
  await edit(join(copy, 'best'));
  return copy;
}

async function editJson(path: string, change: (value: Record<string, any>) => void): Promise<void> {
  const value = JSON.parse(await readFile(path, 'utf8')) as Record<string, any>;
  change(value);
  await writeFile(path, JSON.stringify(value, null, 2));
}

/** The one error line of a failed run (status lines aside). */
function errorLine(stderr: string): string {
  const lines = stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.startsWith('seqloom: '));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('a model folder cannot make seqloom read outside it', () => {
  it('weights.json paths with ".." are refused, naming the field, before the file is read', async () => {
    const secret = join(dir, 'secret.bin');
    await cp(join(model, 'best', 'weights.bin'), secret);
    const m2 = await tampered('m2', async (best) => {
      await rm(join(best, 'weights.bin'));
      await editJson(join(best, 'weights.json'), (w) => (w.weightsManifest[0].paths = ['../../secret.bin']));
    });
    const run = await seqloom(['generate', '--model', m2, 'abc']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(errorLine(run.stderr)).toBe(
      `seqloom: ${join(m2, 'best', 'weights.json')}: weightsManifest[0].paths[0] is "../../secret.bin", which has a ".." segment; ` +
        'a model folder may only name files inside itself (e.g. "weights.bin")',
    );
  });

  it('no size of an outside file leaks, and config.json files.* cannot name one (relative or absolute)', async () => {
    const m3 = await tampered('m3', (best) => editJson(join(best, 'weights.json'), (w) => (w.weightsManifest[0].paths = ['../../../../../etc/passwd'])));
    const leak = await seqloom(['generate', '--model', m3, 'abc']);
    expect(leak.code).toBe(1);
    expect(leak.stderr).not.toMatch(/bytes/);
    expect(errorLine(leak.stderr)).toMatch(/weightsManifest\[0\]\.paths\[0\] is "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd"/);
    for (const [field, value] of [
      ['tokenizer', '../../../../../etc/passwd'],
      ['tokenizerConfig', '/etc/passwd'],
    ]) {
      const name = `m3-${field}`;
      const copy = await tampered(name, (best) => editJson(join(best, 'config.json'), (c) => (c.files[field] = value)));
      const run = await seqloom(['generate', '--model', copy, 'abc']);
      expect(run.code, field).toBe(1);
      expect(errorLine(run.stderr)).toMatch(new RegExp(`^seqloom: ${join(copy, 'best', 'config.json')}: files\\.${field} is "${value.replace(/\./g, '\\.')}"`));
    }
  });

  it('a symbolic link that leads out of the folder is refused', async () => {
    const outside = join(dir, 'outside.json');
    await cp(join(model, 'best', 'tokenizer.json'), outside);
    const m4 = await tampered('m4', async (best) => {
      await rm(join(best, 'tokenizer.json'));
      await symlink(outside, join(best, 'tokenizer.json'));
    });
    const run = await seqloom(['generate', '--model', m4, 'abc']);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toMatch(/files\.tokenizer is "tokenizer\.json", a link that leads out of the model folder/);
  });
});

describe('config.json shapes are checked against weights.json before anything is allocated', () => {
  it('hiddenSize 16384 and 65536 in a 16-unit model: an error naming both files, not gigabytes', async () => {
    for (const hidden of [16384, 65536]) {
      const copy = await tampered(`m5-${hidden}`, (best) => editJson(join(best, 'config.json'), (c) => (c.model.hiddenSize = hidden)));
      const run = await seqloom(['generate', '--model', copy, 'abc']);
      expect(run.code).toBe(1);
      const line = errorLine(run.stderr);
      expect(line).toContain(join(copy, 'best', 'config.json'));
      expect(line).toContain(join(copy, 'best', 'weights.json'));
      expect(line).toMatch(new RegExp(`model\\.hiddenSize is ${hidden}`));
    }
  });

  it('a smaller hiddenSize names the first weight that differs', async () => {
    const copy = await tampered('m6', (best) => editJson(join(best, 'config.json'), (c) => (c.model.hiddenSize = 8)));
    const run = await seqloom(['generate', '--model', copy, 'abc']);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toMatch(
      /config\.json: does not match .*weights\.json: weight "encoder\/fwd\/l0\/kernel" is \[8, 64\] there, config\.json implies \[8, 32\]/,
    );
  });
});

describe('very long sequences', () => {
  it('training drops pairs over the default limit and says how many, with the limit and an example', async () => {
    const long = await writeLines(dir, 'long.tsv', [...reversePairs(40, 9), `${'x'.repeat(3000)}\tyyy`]);
    const run = await seqloom(['train', '--data', long, '--out', join(dir, 'long-model'), ...SMALL, '--max-steps', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /warning: dropped 1 pair\(s\) longer than the length limits \(--max-source-length 1024, --max-target-length 1024 tokens\), e\.g\. a source of 3000 tokens \(limit 1024\) starting "x{40}…"/,
    );
  });

  it('generate cuts an input longer than the model has seen, with a warning (arguments and streamed stdin)', async () => {
    const config = JSON.parse(await readFile(join(model, 'best', 'config.json'), 'utf8')) as { lengths: { source: number } };
    const limit = 2 * config.lengths.source;
    const input = 'ab'.repeat(5000);
    const run = await seqloom(['generate', '--model', model, input]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `has 10000 tokens, more than this model takes (${limit}: twice the longest it was trained on); only its first ${limit} tokens are used`,
    );
    const streamed = await seqloom(['generate', '--model', model, '--stream'], { stdin: `abc\n${input}\n` });
    expect(streamed.code, streamed.stderr).toBe(0);
    expect(streamed.stderr.match(/more than this model takes/g)).toHaveLength(1);
    expect(streamed.stdout.split('\n')).toHaveLength(3);
  });

  it('a checkpoint written before lengths were recorded still generates (limit: twice the default)', async () => {
    const copy = await tampered('old', (best) => editJson(join(best, 'config.json'), (c) => delete c.lengths));
    const run = await seqloom(['generate', '--model', copy, 'a'.repeat(3000)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('more than this model takes (2048');
  });
});

describe('messages', () => {
  it('generate and eval accept a folder whose state.json is damaged, with a warning', async () => {
    const copy = await tampered('bad-state', (best) => writeFile(join(best, 'state.json'), '{"step": 3,\n"rng": ['));
    const corrupt = await tampered('bad-state-2', (best) => writeFile(join(best, 'state.json'), '{"step": 3,\n"rng": x}'));
    const located = await seqloom(['generate', '--model', corrupt, 'abc']);
    expect(located.code, located.stderr).toBe(0);
    expect(located.stderr).toMatch(/warning: .*state\.json: not valid JSON \(line 2, column 8: Unexpected token 'x'\)/);
    const generated = await seqloom(['generate', '--model', copy, 'abc']);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stderr).toMatch(/warning: .*state\.json: not valid JSON \(truncated or corrupt\); .*generating anyway/);
    const evaluated = await seqloom(['eval', '--model', copy, '--data', data, '--limit', '4', '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stderr).toMatch(/warning: .*state\.json/);
  });

  it('a tokenizer file that is not JSON: line and column on one line', async () => {
    const bad = join(dir, 'bad-tokenizer.json');
    await writeFile(bad, '{"model": {"type":\n "BPE\n');
    const run = await seqloom(['tokenizer', 'encode', '-t', bad, 'abc']);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toBe(`seqloom: ${bad} is not valid JSON (line 2, column 6: Bad control character in string literal)`);
    await writeFile(bad, '{"model":\n  {"type": x}}');
    const other = await seqloom(['tokenizer', 'encode', '-t', bad, 'abc']);
    expect(errorLine(other.stderr)).toBe(`seqloom: ${bad} is not valid JSON (line 2, column 12: Unexpected token 'x')`);
  });

  it('bpe:5 and bpe:abc are both option errors (exit 2)', async () => {
    const five = await seqloom(['train', '--data', data, '--tokenizer', 'bpe:5', '--out', join(dir, 'b5')]);
    const abc = await seqloom(['train', '--data', data, '--tokenizer', 'bpe:abc', '--out', join(dir, 'babc')]);
    expect([five.code, abc.code]).toEqual([2, 2]);
    expect(errorLine(five.stderr)).toBe('seqloom: --tokenizer bpe:5: the vocabulary size after "bpe:" must be an integer ≥ 8, e.g. bpe:8000');
  });

  it('tokenizer train --out newdir/ (or an existing folder) writes tokenizer.json and tokenizer_config.json inside it', async () => {
    const fresh = join(dir, 'newdir');
    const run = await seqloom(['tokenizer', 'train', data, '--type', 'char', '--out', `${fresh}/`]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(fresh, 'tokenizer.json')) && existsSync(join(fresh, 'tokenizer_config.json'))).toBe(true);
    const existing = join(dir, 'existing');
    await mkdir(existing);
    const again = await seqloom(['tokenizer', 'train', data, '--type', 'char', '--out', existing]);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(existing, 'tokenizer.json')) && existsSync(join(existing, 'tokenizer_config.json'))).toBe(true);
  });

  it('the empty-corpus error names the file', async () => {
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '\n\n');
    const run = await seqloom(['tokenizer', 'train', empty, '--type', 'char', '--out', join(dir, 'e.json')]);
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toMatch(new RegExp(`^seqloom: ${empty}: no text to train a tokenizer on`));
  });
});

/** Runs `seqloom args…`, killing it if it is still running after `ms` (then `signal` is set). */
async function seqloomKilledAfter(args: readonly string[], ms: number): Promise<Finished> {
  const child = startSeqloom(args);
  const done = finished(child);
  child.stdin.end('');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

describe('tokenizer patterns that backtrack badly (exponential time on some texts)', () => {
  // Before the check, "(a+)+$" took 0.7 s at 20 characters and doubled with each one more: over a minute at 30.
  const input = `${'a'.repeat(30)}!`;

  it('tokenizer encode refuses the file at once, naming it, the field and the pattern, without a stack trace', async () => {
    const file = join(dir, 'redos-tokenizer.json');
    const split = { type: 'Split', pattern: { Regex: '(a+)+$' }, behavior: 'Isolated', invert: false };
    await writeFile(
      file,
      JSON.stringify({
        version: '1.0',
        added_tokens: [],
        normalizer: null,
        pre_tokenizer: split,
        post_processor: null,
        decoder: null,
        model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1 }, unk_token: '<unk>' },
      }),
    );
    const run = await seqloomKilledAfter(['tokenizer', 'encode', '-t', file, input], 30_000);
    expect(run.signal, 'still running after 30 s').toBeNull();
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(errorLine(run.stderr)).toContain(
      `seqloom: ${file}: field "pre_tokenizer.pattern.Regex" is the regular expression "(a+)+$", which seqloom refuses: "(a+)+" repeats "a+", itself an unbounded repetition`,
    );
  });

  it('generate refuses a model folder whose tokenizer.json has such a pattern (nested in a Sequence) before reading the input', async () => {
    const copy = await tampered('redos-model', (best) =>
      editJson(join(best, 'tokenizer.json'), (t) => {
        t.pre_tokenizer = {
          type: 'Sequence',
          pretokenizers: [{ type: 'WhitespaceSplit' }, { type: 'Split', pattern: { Regex: '(\\w+\\s?)*$' }, behavior: 'Isolated' }],
        };
      }),
    );
    const run = await seqloomKilledAfter(['generate', '--model', copy, input], 60_000);
    expect(run.signal, 'still running after 60 s').toBeNull();
    expect(run.code).toBe(1);
    expect(errorLine(run.stderr)).toContain(
      `${join(copy, 'best', 'tokenizer.json')}: field "pre_tokenizer.pretokenizers[1].pattern.Regex" is the regular expression "(\\\\w+\\\\s?)*$", which seqloom refuses`,
    );
  });
});
