// Training options through the real `seqloom` binary: the flags take the
// library's ranges (TRAIN_OPTION_TABLE), a learning rate that float32 weights
// cannot train with is refused before training, and a fresh checkpoint's
// generation.json follows the documented maxNewTokens rule.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DECODE_OPTIONS } from '@seqloom/decode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, tempFolder, writeLines } from './helpers/fixtures.js';
import { seqloom } from './helpers/run-seqloom.js';

const SMALL = ['--hidden', '16', '--embedding', '8', '--batch-size', '16', '--backend', 'wasm'];

let dir: string;
let cleanup: () => Promise<void>;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('train-options'));
  data = await writeLines(dir, 'reverse.tsv', reversePairs(40, 5));
});
afterAll(() => cleanup());

/** The one error line of a failed run, with no stack trace. */
function errorLine(stderr: string): string {
  const lines = stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.startsWith('seqloom: '));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('seqloom train option ranges', () => {
  it('--scheduled-sampling 1 is a usage error with the library range [0, 1)', async () => {
    const out = join(dir, 'ss');
    const run = await seqloom(['train', '--data', data, '--out', out, ...SMALL, '--scheduled-sampling', '1', '--max-steps', '1']);
    expect(run.code, run.stderr).toBe(2);
    expect(errorLine(run.stderr)).toBe('seqloom: --scheduled-sampling must be a number in [0, 1), got 1');
    expect(existsSync(out)).toBe(false);
  });

  it('--lr 1e38 and 1e308 with Adam (on the default engine too) are refused before training, naming --lr', async () => {
    for (const [lr, backend] of [
      ['1e38', []],
      ['1e308', ['--backend', 'wasm']],
    ] as const) {
      const out = join(dir, `lr-${lr}-${backend.length}`);
      const run = await seqloom(['train', '--data', data, '--out', out, '--hidden', '16', '--embedding', '8', '--lr', lr, '--max-steps', '3', ...backend]);
      expect(run.code, run.stderr).toBe(2);
      const line = errorLine(run.stderr);
      expect(line).toMatch(new RegExp(`^seqloom: --lr ${lr.replace('e', 'e\\+')}: `));
      expect(line).not.toMatch(/internal error|scale must be/);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('the maxNewTokens of a fresh checkpoint', () => {
  it('is ceil(1.5 × the longest target with its stop token) + 4, never below the decode default', async () => {
    const fallback = DECODE_OPTIONS.find((o) => o.name === 'maxNewTokens')!.default!;
    const long = await writeLines(dir, 'long.tsv', ['ab\t' + 'x'.repeat(59), 'ba\t' + 'y'.repeat(30), 'aa\txy', 'bb\tyx']);
    for (const [file, expected] of [
      [data, fallback],
      [long, Math.ceil(60 * 1.5) + 4],
    ] as const) {
      const out = join(dir, `gen-${expected}`);
      const run = await seqloom(['train', '--data', file, '--out', out, ...SMALL, '--max-steps', '1', '-q']);
      expect(run.code, run.stderr).toBe(0);
      const generation = JSON.parse(await readFile(join(out, 'last', 'generation.json'), 'utf8')) as Record<string, unknown>;
      expect(generation).toEqual({ strategy: 'greedy', maxNewTokens: expected });
    }
  });
});
