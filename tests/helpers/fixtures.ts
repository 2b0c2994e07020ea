import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A deterministic toy task: reverse strings of 3–6 letters, as TSV lines. */
export function reversePairs(count: number, seed = 1): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 3 + Math.floor(next() * 4);
    let word = '';
    for (let j = 0; j < length; j++) word += 'abcdefgh'[Math.floor(next() * 8)];
    lines.push(`${word}\t${[...word].reverse().join('')}`);
  }
  return lines;
}

/** A temporary folder removed by the returned cleanup function. */
export async function tempFolder(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `seqloom-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes `lines` to `dir/name` and returns the path. */
export async function writeLines(dir: string, name: string, lines: readonly string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** Options of a model small enough to train in a few seconds. */
export const TINY_MODEL = ['--hidden', '32', '--embedding', '16', '--batch-size', '16', '--backend', 'wasm'];
