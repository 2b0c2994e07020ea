import { nativeEnableCommand } from '@seqloom/core/enable-command';
import { describe, expect, it } from 'vitest';

describe('nativeEnableCommand: one text of the command that enables the native engine', () => {
  it('builds the addon where the package is', () => {
    expect(nativeEnableCommand({ location: 'monorepo' })).toBe('pnpm --filter @seqloom/native build');
    expect(nativeEnableCommand({ location: 'project' })).toBe('npm rebuild @seqloom/native');
    expect(nativeEnableCommand({ location: 'project', projectDir: '/home/me/my app' })).toBe('cd "/home/me/my app" && npm rebuild @seqloom/native');
    expect(nativeEnableCommand({ location: 'global' })).toBe('npm rebuild -g @seqloom/native');
    expect(nativeEnableCommand({ location: 'script', script: '/p/node_modules/.pnpm/x/scripts/build.mjs' })).toBe(
      'node /p/node_modules/.pnpm/x/scripts/build.mjs',
    );
    expect(nativeEnableCommand({ location: 'unknown' })).toBe('npm rebuild @seqloom/native (in the seqloom repository: pnpm --filter @seqloom/native build)');
  });

  it('installs the package when it is missing, and puts a prerequisite first', () => {
    expect(nativeEnableCommand({ location: 'monorepo' }, { installed: false })).toBe('pnpm install');
    expect(nativeEnableCommand({ location: 'global' }, { installed: false })).toBe('npm install -g @seqloom/native');
    expect(nativeEnableCommand({ location: 'unknown' }, { installed: false })).toBe('npm install @seqloom/native (in the seqloom repository: pnpm install)');
    expect(nativeEnableCommand({ location: 'project' }, { prerequisite: 'apt-get install -y libopenblas-dev' })).toBe(
      'apt-get install -y libopenblas-dev && npm rebuild @seqloom/native',
    );
  });
});
