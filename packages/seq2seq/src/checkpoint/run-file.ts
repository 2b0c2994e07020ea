import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '@seqloom/core/node';
import { CheckpointError } from './checkpoint-error.js';
import { writeFailure } from './write-failure.js';

/**
 * run.json: the options a training run was started with, kept in its output
 * folder beside `last/` and `best/` so that a resumed run can reuse them.
 */
export interface RunFile {
  format: 'seqloom-run';
  version: 1;
  /** Option values by name (the names of whoever started the run, e.g. CLI flags). */
  options: Record<string, unknown>;
}

/** The training output folder a resume path points into (`out/last` → `out`). */
export function runRoot(path: string): string {
  const name = basename(path);
  return name === 'last' || name === 'best' ? dirname(path) : path;
}

/** Writes run.json atomically (`writeFileAtomic`: temp file, fsync, rename). */
export async function writeRunFile(root: string, options: Record<string, unknown>): Promise<void> {
  const file = join(root, 'run.json');
  const content: RunFile = { format: 'seqloom-run', version: 1, options };
  try {
    await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
  } catch (error) {
    throw writeFailure(error, file, 'the previous one (if any) is kept');
  }
}

/** Reads run.json of a training output folder; undefined when there is none. */
export async function readRunFile(root: string): Promise<Record<string, unknown> | undefined> {
  const file = join(root, 'run.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as RunFile;
    if (parsed.format !== 'seqloom-run' || typeof parsed.options !== 'object' || parsed.options === null) throw new Error('bad format');
    return parsed.options;
  } catch {
    throw new CheckpointError(file, 'not a seqloom run file (expected {"format": "seqloom-run", "options": {…}}); remove it or fix it');
  }
}
