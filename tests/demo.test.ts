import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from './helpers/fixtures.js';
import { seqloomInProcess } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('demo'));
});
afterAll(() => cleanup());

describe('seqloom demo (shortened with --minutes)', () => {
  it('trains on the CMUdict subset, evaluates, pronounces words with every decoder and saves the model', async () => {
    const out = join(dir, 'demo-model');
    const run = await seqloomInProcess(['demo', '--minutes', '0.05', '--words', 'cat', 'whale', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/data: CMUdict subset, 20000 training words \(\d+ pronunciations\), 300 validation, 500 test/);
    expect(run.stdout).toMatch(/test set \(500 unseen words, greedy\): word accuracy [\d.]+% \(word error rate [\d.]+%\), phoneme error rate [\d.]+%/);
    for (const word of ['cat', 'whale']) expect(run.stdout).toContain(`\n${word}\n  greedy   `);
    expect(run.stdout.match(/ {2}beam {5}.*\|.*\|/g)).toHaveLength(2);
    expect(run.stdout.match(/ {2}sampled {2}/g)).toHaveLength(2);
    expect(run.stdout).toContain(`model saved in ${out}`);
    // progress and one summary of the validation passes, not a line per evaluation or checkpoint
    expect(run.stderr).toMatch(/^validation: /m);
    expect(run.stderr).not.toMatch(/^(eval |saved step )/m);
    expect(run.stdout).toMatch(/try: pnpm seqloom generate --model /);
    expect(existsSync(join(out, 'best', 'config.json'))).toBe(true);
    const generated = await seqloomInProcess(['generate', '--model', out, '--json', '-q', 'cat']);
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.stdout).input).toBe('cat');
  });
});
