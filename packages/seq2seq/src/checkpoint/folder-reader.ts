import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from './checkpoint-error.js';
import type { CheckpointReader } from './checkpoint-reader.js';
import { containedPath } from './contained-path.js';

/**
 * A checkpoint folder on disk: names may not leave it (textually, nor by a
 * symbolic link), and a binary file is checked for presence and size before
 * it is read.
 */
export function folderReader(dir: string): CheckpointReader {
  return {
    dir,
    pathOf: (name) => join(dir, name),
    async readText(name, declared) {
      const path = await containedPath(dir, name, declared.field, declared.in);
      try {
        return { path, text: await readFile(path, 'utf8') };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new CheckpointError(
          path,
          code === 'ENOENT'
            ? 'missing; the checkpoint is incomplete (save it again or pick another checkpoint)'
            : code === 'EISDIR'
              ? 'is a folder; expected a JSON file'
              : `cannot be read (${code ?? String(error)})`,
        );
      }
    },
    async locateBinary(name, field, manifestPath, bytes) {
      const binPath = await containedPath(dir, name, field, manifestPath);
      const info = await stat(binPath).catch(() => null);
      if (!info || !info.isFile()) throw new CheckpointError(binPath, `missing; ${manifestPath} refers to it`);
      if (info.size !== bytes) {
        throw new CheckpointError(binPath, `holds ${info.size} bytes but ${manifestPath} describes ${bytes}; the file is truncated or corrupt`);
      }
      return binPath;
    },
    async readBinary(path, manifestPath) {
      try {
        return await readFile(path);
      } catch {
        throw new CheckpointError(path, `missing; ${manifestPath} refers to it`);
      }
    },
  };
}
