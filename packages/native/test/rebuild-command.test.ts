import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixCommand, PACKAGE_DIR, prerequisite, rebuildCommand } from '../scripts/rebuild-command.mjs';

let dir: string;
const native = (...parts: string[]) => join(dir, ...parts, 'node_modules', '@seqloom', 'native');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-rebuild-'));
  for (const path of [
    native('npm'),
    join(dir, 'pnpm', 'node_modules', '.pnpm', '@seqloom+native@0.1.0', 'node_modules', '@seqloom', 'native'),
    native('prefix', 'lib'),
  ]) {
    await mkdir(path, { recursive: true });
  }
  await writeFile(join(dir, 'npm', 'package.json'), '{}');
  await writeFile(join(dir, 'pnpm', 'package.json'), '{}');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the command that builds the addon, where the package is', () => {
  it('in the seqloom monorepo: the workspace build', () => {
    expect(rebuildCommand(PACKAGE_DIR)).toBe('pnpm --filter @seqloom/native build');
  });

  it("in a project: npm rebuilds it (from the project's folder); in pnpm's layout, its build script by path", () => {
    expect(rebuildCommand(native('npm'), join(dir, 'npm'))).toBe('npm rebuild @seqloom/native');
    expect(rebuildCommand(native('npm'), dir)).toBe(`cd ${join(dir, 'npm')} && npm rebuild @seqloom/native`);
    const pnpmCopy = join(dir, 'pnpm', 'node_modules', '.pnpm', '@seqloom+native@0.1.0', 'node_modules', '@seqloom', 'native');
    // pnpm skips the build scripts of packages not approved, `pnpm rebuild` included: the script itself runs anywhere
    expect(rebuildCommand(pnpmCopy, join(dir, 'pnpm'))).toBe(`node ${join(pnpmCopy, 'scripts', 'build.mjs')}`);
  });

  it('in a global npm install: npm rebuild -g', () => {
    expect(rebuildCommand(native('prefix', 'lib'), dir)).toBe('npm rebuild -g @seqloom/native');
  });

  it('names what to install first for the reason the build failed', () => {
    expect(prerequisite('no BLAS headers (cblas.h)', 'linux')).toBe('apt-get install -y libopenblas-dev');
    expect(prerequisite('no OpenBLAS library (-lopenblas)', 'linux')).toBe('apt-get install -y libopenblas-dev');
    expect(prerequisite('no oneDNN headers (dnnl.h)', 'linux')).toBe('apt-get install -y libdnnl-dev');
    expect(prerequisite('no oneDNN library (-ldnnl)', 'linux')).toBe('apt-get install -y libdnnl-dev');
    expect(prerequisite('no C compiler (cc)', 'linux')).toBe('apt-get install -y build-essential');
    expect(prerequisite('no C compiler (cc)', 'darwin')).toBe('xcode-select --install');
    expect(prerequisite('no BLAS headers (cblas.h)', 'darwin')).toBeUndefined();
    expect(fixCommand('no Node headers (node_api.h)', native('npm'), join(dir, 'npm'))).toBe('npm rebuild @seqloom/native');
  });
});
