// Pinning a bench's processes, every thread, to chosen CPUs with taskset (util-linux).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** `taskset -c` list of `cores` CPUs ending at `last` (default: the machine's last CPU), e.g. `1` or `0,1`. */
export function cpuList(cores: number, last = availableParallelism() - 1): string {
  if (cores > last + 1) throw new Error(`cannot pin to ${cores} CPUs ending at CPU ${last}`);
  return Array.from({ length: cores }, (_, i) => last - cores + 1 + i).join(',');
}

/** Whether taskset can pin to `cpus` here. */
export function canPin(cpus: string): boolean {
  return spawnSync('taskset', ['-c', cpus, 'true'], { stdio: 'ignore' }).status === 0;
}

/** Pin every thread of this process (and the threads it starts later) to `cpus`. */
export function pinSelf(cpus: string): void {
  const run = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`taskset -a -p -c ${cpus} ${process.pid} failed: ${run.stderr.trim()}`);
}

/** `[command, args]` that run `command args` pinned to `cpus` (as given when `cpus` is undefined). */
export function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}
