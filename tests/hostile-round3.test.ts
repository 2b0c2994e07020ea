// Reliability round 3 (issue 25), through the real `seqloom` binary: two runs
// on one folder, input that leaks or never comes, a closed pipe, one huge line,
// decoding that never yields, model sizes and learning rates that cannot fit,
// duplicate vocabulary ids, a full disk and a read-only --out parent.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, existsSync, openSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversePairs, tempFolder, writeLines } from './helpers/fixtures.js';
import { type Finished, finished, REPO_ROOT, seqloom, startSeqloom } from './helpers/run-seqloom.js';

const SMALL = ['--hidden', '16', '--embedding', '8', '--batch-size', '16', '--backend', 'wasm'];
const MAIN = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts'];
const posix = process.platform !== 'win32';
const root = posix && process.getuid?.() === 0;

let dir: string;
let cleanup: () => Promise<void>;
let model: string;
let data: string;
beforeAll(async () => {
  ({ dir, cleanup } = await tempFolder('hostile3'));
  data = await writeLines(dir, 'reverse.tsv', reversePairs(80, 5));
  model = join(dir, 'm');
  const run = await seqloom(['train', '--data', data, '--out', model, ...SMALL, '--max-steps', '3']);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(() => cleanup());

/** The one error line of a failed run (status lines aside), with no stack trace. */
function errorLine(stderr: string): string {
  const lines = stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l.startsWith('seqloom: '));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

/** Starts `node [nodeFlags] main.ts args` (the real binary with node flags such as a heap limit). */
function startWithNode(nodeFlags: readonly string[], args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...nodeFlags, ...MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: '0', NODE_OPTIONS: '' },
    stdio: 'pipe',
  });
}

/** A readiness test that holds `ms` after `first` first held (for a process that prints nothing while it works). */
function after(ms: number, first: (stderr: string) => boolean): (stderr: string) => boolean {
  let since = 0;
  return (stderr) => {
    if (since === 0 && first(stderr)) since = Date.now();
    return since > 0 && Date.now() - since >= ms;
  };
}

/**
 * Sends `signal` once `ready(stderr, stdout)` holds, and reports how long the
 * process took to end after it (killed after `limitMs` if it does not).
 */
async function signalWhen(
  child: ChildProcessWithoutNullStreams,
  ready: (stderr: string, stdout: string) => boolean,
  signal: NodeJS.Signals = 'SIGTERM',
  limitMs = 10_000,
): Promise<Finished & { afterSignalMs: number }> {
  let stderr = '';
  let stdout = '';
  let sentAt = 0;
  const done = finished(child);
  const check = () => {
    if (sentAt === 0 && ready(stderr, stdout)) {
      sentAt = Date.now();
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), limitMs).unref();
    }
  };
  child.stderr.on('data', (d: Buffer) => void (stderr += d));
  child.stdout.on('data', (d: Buffer) => void (stdout += d));
  const poll = setInterval(check, 50);
  try {
    const result = await done;
    return { ...result, afterSignalMs: Date.now() - sentAt };
  } finally {
    clearInterval(poll);
  }
}

describe('two runs cannot share a folder (item 3: a lock with the PID)', () => {
  it('two `train --out SAME` started together: one trains, the other stops at once naming the PID of the first', async () => {
    const out = join(dir, 'together');
    const args = ['train', '--data', data, '--out', out, ...SMALL, '--max-steps', '30'];
    const children = [startSeqloom(args), startSeqloom(args)];
    const runs = await Promise.all(
      children.map((c) => {
        c.stdin.end();
        return finished(c);
      }),
    );
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1]);
    const loser = runs.findIndex((r) => r.code === 1);
    const winnerPid = children[1 - loser].pid;
    expect(errorLine(runs[loser].stderr)).toMatch(
      new RegExp(`^seqloom: ${out}: in use by another run: seqloom train --out ${out} \\(pid ${winnerPid}, since `),
    );
    expect(runs[loser].stdout).not.toMatch(/model saved/);
    const steps = (await readFile(join(out, 'metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step?: number })
      .flatMap((r) => (typeof r.step === 'number' ? [r.step] : []));
    expect(
      steps.every((s, i) => i === 0 || s >= steps[i - 1]),
      'steps never decrease (one run wrote metrics.jsonl)',
    ).toBe(true);
    expect(existsSync(join(dir, '.together.lock')), 'the lock is released on exit').toBe(false);
  });

  it('a folder held by a running process: train --out, train --resume and average --out stop at once, naming its PID', async () => {
    const out = join(dir, 'held');
    await cp(model, out, { recursive: true });
    // this test process is alive: its PID in the lock stands for a run in progress
    const holder = { pid: process.pid, host: hostname(), command: `seqloom train --out ${out}`, started: '2030-01-01T00:00:00.000Z', token: 'x' };
    await writeFile(join(dir, '.held.lock'), JSON.stringify(holder));
    const expected = new RegExp(`^seqloom: ${out}: in use by another run: seqloom train --out ${out} \\(pid ${process.pid}, since 2030-01-01T00:00:00.000Z\\)`);
    for (const args of [
      ['train', '--data', data, '--out', out, '--overwrite', ...SMALL, '--max-steps', '1'],
      ['train', '--resume', out, '--max-steps', '5'],
      ['average', '--out', out, '--overwrite', join(model, 'best'), join(model, 'last')],
      ['average', '--out', join(out, 'averaged'), join(model, 'best'), join(model, 'last')],
    ]) {
      const run = await seqloom(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(errorLine(run.stderr), args.join(' ')).toMatch(expected);
      expect(run.stderr).not.toMatch(/^data:/m);
    }
    expect(JSON.parse(await readFile(join(dir, '.held.lock'), 'utf8'))).toEqual(holder);
  });

  it('a lock left by a run that no longer runs (killed) is taken over, saying so, and released at the end', async () => {
    const out = join(dir, 'stale');
    await cp(model, out, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(
      join(dir, '.stale.lock'),
      JSON.stringify({ pid: gone, host: hostname(), command: `seqloom train --out ${out}`, started: '2020-01-01T00:00:00.000Z', token: 'y' }),
    );
    const run = await seqloom(['train', '--resume', out, '--max-steps', '5']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `warning: ${out}: took over the lock left by seqloom train --out ${out} (pid ${gone}, since 2020-01-01T00:00:00.000Z), which no longer runs`,
    );
    expect(existsSync(join(dir, '.stale.lock'))).toBe(false);
  });
});

describe('input streams (items 5, 6, 7)', () => {
  it('600k lines through stdin in 48 MB of heap: memory stays flat (no reaction kept per line)', async () => {
    const lines = join(dir, 'many.txt');
    await writeFile(lines, 'abcdef\n'.repeat(600_000));
    const output = join(dir, 'many.out');
    const fd = openSync(output, 'w');
    // stdout to a file: output waiting on a slow reader would fill the heap by itself
    const child = spawn(process.execPath, ['--max-old-space-size=48', ...MAIN, 'tokenizer', 'encode', '-t', join(model, 'best')], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['pipe', fd, 'pipe'],
    });
    closeSync(fd);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin!.on('error', () => {});
    createReadStream(lines).pipe(child.stdin!);
    const [code] = (await once(child, 'close')) as [number | null];
    expect(stderr).not.toMatch(/heap out of memory/);
    expect(code, stderr.slice(-500)).toBe(0);
    expect((await readFile(output, 'utf8')).split('\n')).toHaveLength(600_001);
  });

  it('a closed standard output ends generate quietly with exit 0 (--input, stdin and --json)', async () => {
    const input = await writeLines(
      dir,
      'lines.txt',
      Array.from({ length: 3000 }, (_, i) => `abc${i % 10}`),
    );
    const text = await readFile(input, 'utf8');
    for (const [args, stdin] of [
      [['generate', '--model', model, '--input', input], undefined],
      [['generate', '--model', model], text],
      [['generate', '--model', model, '--json', '--stream'], text],
    ] as const) {
      const child = startSeqloom(args);
      const done = finished(child);
      child.stdin.on('error', () => {}); // it may stop reading before all of stdin is sent
      if (stdin !== undefined) child.stdin.end(stdin);
      else child.stdin.end();
      // `| head -c 100`: read a little, then close the pipe
      await once(child.stdout, 'data');
      child.stdout.destroy();
      const run = await done;
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    }
  });

  it.runIf(posix)('a named pipe with no writer: SIGTERM ends generate, tokenizer encode and train within a second', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const args of [
      ['generate', '--model', model, '--input', fifo],
      ['tokenizer', 'encode', '-t', join(model, 'best'), '--input', fifo],
      ['train', '--data', fifo, '--out', join(dir, 'fifo-model'), ...SMALL],
    ]) {
      const child = startSeqloom(args);
      child.stdin.end();
      // once it waits for the pipe: after the backend line (tokenizer encode prints none: a few seconds)
      const started = Date.now();
      const run = await signalWhen(
        child,
        after(500, (stderr) => /backend:/.test(stderr) || Date.now() - started > 4000),
      );
      // generate and tokenizer read the pipe themselves and stop cleanly (143); train's data is read by the
      // library, whose wait is given up: the process then ends by the signal itself
      if (args[0] === 'train') expect(run.signal === 'SIGTERM' || run.code === 143, `${args[0]}: ${JSON.stringify(run)}`).toBe(true);
      else expect(run.code, `${args[0]}: ${JSON.stringify(run)}`).toBe(143);
      expect(run.afterSignalMs, args[0]).toBeLessThan(1500);
    }
  });
});

describe('one huge line (item 8)', () => {
  it('generate --input with a 64 MB line in 128 MB of heap: the line is cut while read, with a warning naming the file and line', async () => {
    const file = join(dir, 'huge.txt');
    const stream = createWriteStream(file);
    stream.write('abc\n');
    const block = 'ab'.repeat(512 * 1024);
    for (let i = 0; i < 64; i++) stream.write(block);
    stream.end('\nxyz\n');
    await once(stream, 'close');
    const child = startWithNode(['--max-old-space-size=128'], ['generate', '--model', model, '--input', file]);
    child.stdin.end();
    const run = await finished(child);
    expect(run.stderr).not.toMatch(/heap out of memory|internal error/);
    expect(run.code, run.stderr.slice(-600)).toBe(0);
    expect(run.stderr).toContain(
      `warning: --input ${file}: line 2 has ${64 * 1024 * 1024} bytes, more than a line may have (8388608); only its first 8388608 bytes are read`,
    );
    expect(run.stderr).toMatch(
      /warning: input "abab[ab]*…" \(#2 of the batch\) has 8388608 characters, more than this model takes \(\d+ tokens: twice the longest it was trained on\); only its first \d+ tokens are used/,
    );
    expect(run.stdout.split('\n')).toHaveLength(4);
  });

  it('train with a 32 MB source in 160 MB of heap: the pair is dropped without tokenising all of it', async () => {
    const file = join(dir, 'huge.tsv');
    await writeFile(file, `${reversePairs(40, 9).join('\n')}\n${'x'.repeat(32 * 1024 * 1024)}\tyyy\n`);
    const child = startWithNode(['--max-old-space-size=160'], ['train', '--data', file, '--out', join(dir, 'huge-model'), ...SMALL, '--max-steps', '1']);
    child.stdin.end();
    const run = await finished(child);
    expect(run.stderr).not.toMatch(/heap out of memory|internal error/);
    expect(run.code, run.stderr.slice(-600)).toBe(0);
    expect(run.stderr).toMatch(
      /warning: dropped 1 pair\(s\) longer than the length limits .*, e\.g\. a source of more than \d+ tokens \(33554432 characters\) \(limit 1024\) starting "x{40}…"/,
    );
  });
});

describe('decoding yields, and a model folder cannot pin it (item 9)', () => {
  it('SIGTERM ends a generation of a million tokens within a second, printing what it has', async () => {
    const child = startSeqloom(['generate', '--model', model, '--max-length', '1000000', '--min-length', '1000000', 'abc']);
    child.stdin.end();
    // nothing is printed until the generation ends: signal once the model has decoded for a while
    const run = await signalWhen(
      child,
      after(1500, (stderr) => /backend:/.test(stderr)),
    );
    expect(run.code, run.stderr).toBe(143);
    expect(run.afterSignalMs).toBeLessThan(1500);
    expect(run.stdout.length).toBeGreaterThan(100);
  }, 60_000);

  it('generation.json {"beamWidth": 1e9} and {"maxNewTokens": 1e9, "suppressTokens": [eos]} are refused at load, naming the file and the bound', async () => {
    const eos = JSON.parse(await readFile(join(model, 'best', 'config.json'), 'utf8')).model.eosId as number;
    const vocab = JSON.parse(await readFile(join(model, 'best', 'config.json'), 'utf8')).model.targetVocabSize as number;
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { strategy: 'beam', beamWidth: 1e9 },
        new RegExp(`"beamWidth" is 1000000000, more than this model allows: at most the vocabulary size \\(${vocab} tokens\\)`),
      ],
      [{ maxNewTokens: 1e9, suppressTokens: [eos] }, /"maxNewTokens" is 1000000000, more than this model allows: at most 256 tokens/],
      [{ maxNewTokens: 0 }, /"maxNewTokens" is 0; it must be an integer in \[1, ∞\), as --max-length/],
    ];
    for (const [generation, message] of cases) {
      const copy = join(dir, `gen-${Object.keys(generation).join('-')}-${String(generation.maxNewTokens)}`);
      await cp(model, copy, { recursive: true });
      await writeFile(join(copy, 'best', 'generation.json'), JSON.stringify(generation));
      const started = Date.now();
      const run = await seqloom(['generate', '--model', copy, 'word']);
      expect(run.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(30_000);
      const line = errorLine(run.stderr);
      expect(line).toContain(join(copy, 'best', 'generation.json'));
      expect(line).toMatch(message);
    }
  });
});

describe('sizes and rates that cannot work are refused up front (item 10)', () => {
  it("--hidden 65536: refused before the data is read, naming the estimate and the machine's memory", async () => {
    const started = Date.now();
    const run = await seqloom(['train', '--data', data, '--out', join(dir, 'big'), '--hidden', '65536']);
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(errorLine(run.stderr)).toMatch(
      /^seqloom: this model cannot be trained here: training its 17\.2 billion parameters \(weights, gradients, adam state and a step's temporaries\) needs at least \d+ GiB \(--hidden 65536, .*\), more than 80% of this machine's \d+ GiB of memory; choose a smaller --hidden, --embedding or --layers$/,
    );
    expect(run.stderr).not.toMatch(/^data:/m);
  });

  it('--lr 1e308 (and --optimizer sgd --momentum 0.9 --lr 1e38) are refused as usage errors before training', async () => {
    for (const [lr, optimizer] of [
      ['1e308', ['--optimizer', 'adam']],
      ['1e38', ['--optimizer', 'sgd', '--momentum', '0.9']],
    ] as const) {
      const run = await seqloom(['train', '--data', data, '--out', join(dir, `lr-${lr}`), ...SMALL, '--lr', lr, ...optimizer]);
      expect(run.code, run.stderr).toBe(2);
      expect(errorLine(run.stderr)).toMatch(
        new RegExp(
          `^seqloom: --lr ${lr.replace('e', 'e\\+')}: the update step it makes \\(${optimizer[1]}: up to .* times the gradient\\) is not a finite 32-bit number`,
        ),
      );
      expect(existsSync(join(dir, `lr-${lr}`))).toBe(false);
    }
  });
});

describe('smaller (item 11)', () => {
  async function duplicateIds(json: Record<string, any>): Promise<Record<string, any>> {
    const vocab = json.model.vocab as Record<string, number>;
    vocab.a = vocab.b; // two tokens, one id
    return json;
  }

  it('a vocabulary with duplicate ids is refused at load: model folder, tokenizer file and train --tokenizer', async () => {
    const copy = join(dir, 'dup');
    await cp(model, copy, { recursive: true });
    const file = join(copy, 'best', 'tokenizer.json');
    const json = await duplicateIds(JSON.parse(await readFile(file, 'utf8')));
    await writeFile(file, JSON.stringify(json));
    const id = json.model.vocab.b as number;
    const problem = `field "model.vocab" gives the id ${id} to both "b" and "a"; each id must name one token`;
    const generated = await seqloom(['generate', '--model', copy, 'abc']);
    expect(generated.code).toBe(1);
    expect(errorLine(generated.stderr)).toContain(`${file}: field "model.vocab" gives the id ${id} to both`);
    const encoded = await seqloom(['tokenizer', 'encode', '-t', file, 'abc']);
    expect(encoded.code).toBe(1);
    expect(errorLine(encoded.stderr)).toBe(`seqloom: ${file}: ${problem} (decoding would give only one of them); fix the file`);
    const trained = await seqloom(['train', '--data', data, '--tokenizer', file, '--out', join(dir, 'dup-model'), ...SMALL, '--max-steps', '1']);
    expect(trained.code).toBe(1);
    expect(errorLine(trained.stderr)).toContain(`${file}: field "model.vocab" gives the id ${id} to both`);
  });

  it.runIf(root)('a full disk names the folder and the cause, not "internal error: ENOSPC"', async () => {
    const full = join(dir, 'full');
    await mkdir(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k', 'tmpfs', full]);
    try {
      const run = await seqloom(['train', '--data', data, '--out', join(full, 'm'), '--hidden', '64', '--backend', 'wasm', '--max-steps', '2']);
      expect(run.code).toBe(1);
      expect(errorLine(run.stderr)).toMatch(
        new RegExp(`^seqloom: ${join(full, 'm')}/(last|best): could not be written: the disk is full \\(ENOSPC: no space left on the device\\)`),
      );
    } finally {
      execFileSync('umount', [full]);
    }
  });

  it.runIf(posix)('a read-only --out parent is refused before the data is read (train and average)', async () => {
    const locked = join(dir, 'readonly');
    await mkdir(locked);
    if (root) execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', locked]);
    else execFileSync('chmod', ['555', locked]);
    try {
      const reason = root ? `${locked} is on a read-only file system` : `${locked} is not writable by this user (permission denied)`;
      // a --data that does not exist: the --out check comes first
      const run = await seqloom(['train', '--data', join(dir, 'no-such-data.tsv'), '--out', join(locked, 'sub', 'm'), ...SMALL]);
      expect(run.code).toBe(1);
      expect(errorLine(run.stderr)).toBe(`seqloom: --out ${join(locked, 'sub', 'm')}: cannot write there: ${reason}; choose a folder you can write to`);
      const averaged = await seqloom(['average', '--out', join(locked, 'avg'), join(model, 'best'), join(model, 'last')]);
      expect(errorLine(averaged.stderr)).toBe(`seqloom: --out ${join(locked, 'avg')}: cannot write there: ${reason}; choose a folder you can write to`);
    } finally {
      if (root) execFileSync('umount', [locked]);
      else execFileSync('chmod', ['755', locked]);
      await rm(locked, { recursive: true, force: true });
    }
  });
});
