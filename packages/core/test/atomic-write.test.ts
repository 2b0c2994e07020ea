import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreAbandonedDir, writeDirAtomic, writeFileAtomic, writeFileAtomicSync } from '../src/node/index.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqloom-core-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes and replaces a file, creating its folder, and leaves no temporary file', async () => {
    const file = join(root, 'sub', 'a.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, new TextEncoder().encode('two'));
    expect(await readFile(file, 'utf8')).toBe('two');
    expect(await readdir(join(root, 'sub'))).toEqual(['a.json']);
  });

  it('removes its temporary file and rethrows when the rename fails', async () => {
    const taken = join(root, 'taken');
    await mkdir(join(taken, 'inside'), { recursive: true });
    await expect(writeFileAtomic(taken, 'x')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) });
    expect(await readdir(root)).toEqual(['taken']);
    expect(() => writeFileAtomicSync(taken, 'x')).toThrow();
    expect(await readdir(root)).toEqual(['taken']);
  });

  it('has a synchronous twin', async () => {
    const file = join(root, 'b.txt');
    writeFileAtomicSync(file, 'old');
    writeFileAtomicSync(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(root)).toEqual(['b.txt']);
  });
});

describe('writeDirAtomic', () => {
  const fillWith = (name: string, text: string) => (dir: string) => writeFile(join(dir, name), text);

  it('writes a folder, then replaces it whole', async () => {
    const target = join(root, 'ckpt');
    await writeDirAtomic(target, fillWith('a.txt', 'old'));
    await writeDirAtomic(target, fillWith('b.txt', 'new'));
    expect(await readdir(target)).toEqual(['b.txt']);
    expect(await readdir(root)).toEqual(['ckpt']);
  });

  it('keeps the previous folder and removes its temporary one when filling fails', async () => {
    const target = join(root, 'ckpt');
    await writeDirAtomic(target, fillWith('a.txt', 'old'));
    const failure = new Error('disk full');
    await expect(
      writeDirAtomic(target, async (dir) => {
        await writeFile(join(dir, 'a.txt'), 'half');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await readFile(join(target, 'a.txt'), 'utf8')).toBe('old');
    expect(await readdir(root)).toEqual(['ckpt']);
  });

  it('lets checkTarget refuse the target before anything is written', async () => {
    const target = join(root, 'ckpt');
    await expect(
      writeDirAtomic(target, fillWith('a.txt', 'x'), async () => {
        throw new Error('not yours');
      }),
    ).rejects.toThrow('not yours');
    expect(await readdir(root)).toEqual([]);
  });

  it('after a crash between the two renames, the next writer puts the old folder back and clears leftovers', async () => {
    const target = join(root, 'ckpt');
    await mkdir(join(root, '.ckpt.old-99999999-abcd'));
    await writeFile(join(root, '.ckpt.old-99999999-abcd', 'a.txt'), 'old');
    await mkdir(join(root, '.ckpt.tmp-99999999-abcd'));
    let seen: string[] = [];
    await writeDirAtomic(target, fillWith('b.txt', 'new'), async (t) => {
      seen = await readdir(t);
    });
    expect(seen).toEqual(['a.txt']);
    expect(await readdir(target)).toEqual(['b.txt']);
    expect(await readdir(root)).toEqual(['ckpt']);
  });
});

describe('restoreAbandonedDir', () => {
  it('puts back a folder whose writer is gone, and leaves one whose writer runs', async () => {
    const target = join(root, 'ckpt');
    await mkdir(join(root, `.ckpt.old-${process.pid}-abcd`));
    await restoreAbandonedDir(target);
    expect(await readdir(root)).toEqual([`.ckpt.old-${process.pid}-abcd`]);
    await rm(join(root, `.ckpt.old-${process.pid}-abcd`), { recursive: true });
    await mkdir(join(root, '.ckpt.old-99999999-abcd'));
    await restoreAbandonedDir(target);
    expect(await readdir(root)).toEqual(['ckpt']);
  });
});
