import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from './helpers/fixtures.js';
import { REPO_ROOT } from './helpers/run-seqloom.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('bench-quality'));
});
afterAll(() => cleanup());

const bench = (args: string[]) =>
  spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'bench/run.ts', 'quality', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });

describe('pnpm bench quality', () => {
  it('g2p trains a recipe for the minutes given, then reports test WER/PER, the averaged model and the learning curve', async () => {
    // the real recipe's settings on a model small enough for a test
    const recipe = join(dir, 'tiny.yaml');
    const real = await readFile(join(REPO_ROOT, 'recipes', 'g2p-cmudict.yaml'), 'utf8');
    await writeFile(
      recipe,
      `${real
        .replace(/^hidden: \d+/m, 'hidden: 8')
        .replace(/^embedding: \d+/m, 'embedding: 8')
        .replace(/^warmup-steps: \d+/m, 'warmup-steps: 2')}\nbackend: wasm\n`,
    );
    const out = join(dir, 'run');
    const run = bench([
      'g2p',
      '--minutes',
      '0.1',
      '--recipe',
      recipe,
      '--out',
      out,
      '--beam',
      '2',
      '--test-words',
      '30',
      '--dev-words',
      '20',
      '--eval-every-minutes',
      '0.02',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/test \(30 of 12,388 words\)/);
    expect(run.stdout).toMatch(/^best\/ +greedy +[\d.]+ % +[\d.]+ % +— /m);
    expect(run.stdout).toMatch(/^averaged\/ +beam-2 +[\d.]+ % +[\d.]+ % +[\d.]+ % /m);
    const result = JSON.parse(await readFile(join(out, 'quality-g2p.json'), 'utf8'));
    expect(result.data).toMatchObject({ dataset: 'cmudict:g2p-seq2seq', testWords: 12_388, scoredTestWords: 30, devSubset: 20 });
    expect(result.test.map((r: { model: string; decoder: string }) => `${r.model} ${r.decoder}`)).toEqual([
      'best/ greedy',
      'best/ beam-2',
      'averaged/ greedy',
      'averaged/ beam-2',
    ]);
    expect(result.curve.length).toBeGreaterThanOrEqual(2);
    for (const p of result.curve) {
      expect(p.validLoss).toBeGreaterThan(0);
      expect(p.devWordErrorRate).toBeGreaterThanOrEqual(0);
    }
    expect(result.speed.steps).toBeGreaterThan(0);
    expect(result.backend).toMatch(/^wasm/);
  }, 120_000);

  it('names an unknown task or a bad flag without a stack trace', () => {
    const unknown = bench(['nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe('pnpm bench quality: no quality task "nope"; usage: pnpm bench quality <task> [flags]; tasks: charlm, g2p');
    const bad = bench(['g2p', '--minutes', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('pnpm bench quality g2p: --minutes must be a positive number, got "0"');
    const charlm = bench(['charlm', '--minutes', '0']);
    expect(charlm.status).toBe(2);
    expect(charlm.stderr.split('\n')[0]).toBe('pnpm bench quality charlm: --minutes must be a positive number, got "0"');
    const cpu = bench(['charlm', '--cpu', '4096']);
    expect(cpu.status).toBe(2);
    expect(cpu.stderr.split('\n')[0]).toMatch(/^pnpm bench quality charlm: --cpu must be a CPU number from 0 to \d+, got "4096"$/);
    const flag = bench(['charlm', '--minuts', '1']);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toMatch(/^pnpm bench quality charlm: Unknown option '--minuts'/);
  });
});
