import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CliIo, runCli } from '@seqloom/cli';

/** The repository root (tests run the CLI from source there, as `pnpm seqloom` does). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = ['--conditions=source', '--import', 'tsx', 'packages/cli/src/main.ts'];

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real `seqloom` process (node + tsx on the sources) in the repository root. */
export function startSeqloom(args: readonly string[], options: { cwd?: string } = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [...MAIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, FORCE_COLOR: '0', NODE_OPTIONS: '' },
    stdio: 'pipe',
  });
}

/** Collects a process's output until it exits. */
export function finished(child: ChildProcessWithoutNullStreams): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Runs `seqloom args…` as a process, with optional stdin text, and waits for it. */
export async function seqloom(args: readonly string[], options: { stdin?: string; cwd?: string } = {}): Promise<Finished> {
  const child = startSeqloom(args, options);
  const done = finished(child);
  child.stdin.end(options.stdin ?? '');
  return done;
}

/** JSON lines of an output (lines that are not JSON are ignored). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Runs the CLI in this process with captured output (for checks that need no separate process). */
export async function seqloomInProcess(
  args: readonly string[],
  options: { stdinLines?: string[]; cwd?: string; tty?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: { write: (t) => void (stdout += t), isTTY: options.tty ?? false, columns: 100 },
    stderr: { write: (t) => void (stderr += t), isTTY: options.tty ?? false, columns: 100 },
    stdinLines: async function* () {
      yield* options.stdinLines ?? [];
    },
    stdinIsTTY: options.stdinLines === undefined,
    cwd: options.cwd ?? REPO_ROOT,
    onInterrupt: () => () => {},
    now: () => Date.now(),
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
