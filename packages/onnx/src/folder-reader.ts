import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { OnnxModelError } from './errors.js';
import type { ExportReader } from './export-files.js';

/** Reads an export folder's files; a file must lie inside the folder (no link leads out) and be a regular file. */
export async function folderReader(folder: string): Promise<ExportReader> {
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory())
    throw new OnnxModelError(`${folder} is not a folder; pass the folder of a Hugging Face ONNX export (config.json, tokenizer.json, onnx/)`);
  const root = await realpath(folder);
  const resolve = async (name: string): Promise<string | null> => {
    const path = join(folder, name);
    const file = await stat(path).catch(() => null);
    if (!file) return null;
    const real = await realpath(path);
    const inside = relative(root, real);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw new OnnxModelError(`${path} is a link that leads out of the folder ${folder} (to ${real}); copy the file into the folder instead`);
    }
    if (!file.isFile()) throw new OnnxModelError(`${path} is not a regular file`);
    return path;
  };
  return {
    where: folder,
    has: async (name) => (await resolve(name)) !== null,
    async read(name, maxBytes) {
      const path = await resolve(name);
      if (path === null) return null;
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw new OnnxModelError(`${path} is ${size} bytes; at most ${maxBytes} are read`);
        const bytes = new Uint8Array(size);
        let done = 0;
        while (done < size) {
          const { bytesRead } = await handle.read(bytes, done, size - done, done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === size ? bytes : bytes.subarray(0, done);
      } finally {
        await handle.close();
      }
    },
  };
}
