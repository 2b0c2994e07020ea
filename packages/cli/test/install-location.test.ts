import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PACKAGE_DIR, installLocation, seqloomCommand } from '../src/install-location.js';
import { playgroundAssets } from '../src/serve/playground-assets.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqloom-location-'));
  await mkdir(join(dir, 'project', 'node_modules', '@seqloom', 'cli'), { recursive: true });
  await writeFile(join(dir, 'project', 'package.json'), '{}');
  await mkdir(join(dir, 'prefix', 'lib', 'node_modules', '@seqloom', 'cli'), { recursive: true });
  await mkdir(join(dir, 'repo', 'packages', 'cli'), { recursive: true });
  await writeFile(join(dir, 'repo', 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('where @seqloom/cli runs, and the seqloom command its messages name', () => {
  it('this checkout is the monorepo: `pnpm seqloom`', () => {
    expect(installLocation(CLI_PACKAGE_DIR)).toBe('monorepo');
    expect(seqloomCommand()).toBe('pnpm seqloom');
  });

  it('a project dependency (npm or pnpm layout): `npx seqloom`; a global install: `seqloom`', () => {
    expect(installLocation(join(dir, 'project', 'node_modules', '@seqloom', 'cli'))).toBe('project');
    expect(installLocation(join(dir, 'prefix', 'lib', 'node_modules', '@seqloom', 'cli'))).toBe('global');
    expect(installLocation(join(dir, 'repo', 'packages', 'cli'))).toBe('monorepo');
    expect(seqloomCommand('project')).toBe('npx seqloom');
    expect(seqloomCommand('global')).toBe('seqloom');
  });

  it('a missing playground page names the command that builds it here', () => {
    expect(() => playgroundAssets(join(dir, 'no-page'))).toThrow(/is not built .*run `pnpm install`, or `pnpm --filter @seqloom\/cli build:playground`/);
  });
});
