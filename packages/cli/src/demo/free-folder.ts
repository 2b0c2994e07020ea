import { stat } from 'node:fs/promises';

/** `path` if nothing is there, else `path-2`, `path-3`, … (the demo never overwrites anything). */
export async function freeFolder(path: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? path : `${path}-${n}`;
    if (!(await stat(candidate).catch(() => null))) return candidate;
  }
}
