import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEQLOOM_CORE_VERSION } from '../src/index.js';

describe('@seqloom/core', () => {
  it('reports the version of its package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SEQLOOM_CORE_VERSION).toBe(manifest.version);
  });
});
