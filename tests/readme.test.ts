import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFolder } from './helpers/fixtures.js';
import { REPO_ROOT, seqloomInProcess } from './helpers/run-seqloom.js';

/** Fenced code blocks of a markdown text, with their language. */
function codeBlocks(markdown: string): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) blocks.push({ lang: m[1], code: m[2] });
  return blocks;
}

const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
const blocks = codeBlocks(readme);
// The first block sets up a fresh machine and runs `pnpm seqloom demo` and `pnpm test`:
// CI (.ci/run) runs exactly that; the demo itself has its own test (demo.test.ts).
const [setup, ...examples] = blocks;
const scratch = join(REPO_ROOT, 'tests', '.tmp-readme');
const cliReadme = codeBlocks(await readFile(join(REPO_ROOT, 'packages/cli/README.md'), 'utf8')).filter((b) => b.lang === 'ts');

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('readme'));
  await mkdir(scratch, { recursive: true });
});
afterAll(async () => {
  await cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** `pnpm seqloom …` runs the CLI from source, as the root package.json script does. */
/** Logical lines of a shell block (backslash continuations joined). */
function shellLines(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** Words of a shell command line, split (and unquoted) by bash itself. */
function shellWords(text: string): string[] {
  const run = spawnSync('bash', ['-c', `printf '%s\\0' ${text}`], { encoding: 'utf8' });
  return run.stdout.split('\0').slice(0, -1);
}

/**
 * Runs one README shell line in \`dir\`: \`pnpm seqloom …\` goes through the CLI
 * in this process (same code as the binary, without a process start per
 * command); anything before a pipe, and other commands, run in bash.
 */
async function runShellLine(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const at = line.indexOf('pnpm seqloom ');
  if (at === -1) {
    const run = spawnSync('bash', ['-c', `set -euo pipefail; ${line}`], { cwd: dir, encoding: 'utf8' });
    return { code: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
  }
  const before = line.slice(0, at).trim();
  let stdinLines: string[] | undefined;
  if (before !== '') {
    const feed = spawnSync('bash', ['-c', before.replace(/\|$/, '')], { cwd: dir, encoding: 'utf8' });
    stdinLines = feed.stdout.split('\n').slice(0, -1);
  }
  return seqloomInProcess(shellWords(line.slice(at + 'pnpm seqloom '.length)), { cwd: dir, ...(stdinLines ? { stdinLines } : {}) });
}

describe('README', () => {
  // the first command installs OpenBLAS and oneDNN for the native engine where apt can, and goes on where it cannot
  it('starts with the two commands for a fresh machine', () => {
    expect(setup.code).toMatch(
      /^\(apt-get update && apt-get install -y libopenblas-dev libdnnl-dev \|\| true\) && npm install -g pnpm@[\d.]+ && pnpm install && pnpm seqloom demo +# set up, run the main job\npnpm test +# run the tests\n$/,
    );
    expect(examples.filter((b) => b.lang === 'sh').length).toBeGreaterThanOrEqual(3);
    expect(examples.filter((b) => b.lang === 'ts').length).toBe(3);
  });

  it('every shell example runs, in order, in one folder', async () => {
    for (const block of examples.filter((b) => b.lang === 'sh')) {
      for (const line of shellLines(block.code)) {
        const run = await runShellLine(line);
        expect(run.code, `${line}\n${run.stderr}`).toBe(0);
        if (line.includes('pnpm seqloom')) expect(run.stdout.trim().length, `${line} printed nothing`).toBeGreaterThan(0);
      }
    }
  });

  it('the packages/cli README example runs', async () => {
    expect(cliReadme).toHaveLength(1);
    const file = join(scratch, 'cli-example.ts');
    await writeFile(file, cliReadme[0].code);
    const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  for (const [i, block] of examples.filter((b) => b.lang === 'ts').entries()) {
    it(`TypeScript example ${i + 1} runs`, async () => {
      const file = join(scratch, `example-${i + 1}.ts`);
      await writeFile(file, block.code);
      const run = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim().length).toBeGreaterThan(0);
    });
  }
});
