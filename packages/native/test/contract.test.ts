import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as contract from '@seqloom/core';
import { describe, expect, it } from 'vitest';
import { contractHeader, HEADER_PATH } from '../scripts/contract-header.mjs';
import { loadNativeAddon } from '../src/internal.js';
import { unavailable } from './native-available.js';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

/** The TypeScript sources (tests aside) under packages/<name>/src. */
function sources(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
    });
  return readdirSync(root).flatMap((pkg) => {
    try {
      return walk(join(root, pkg, 'src'));
    } catch {
      return [];
    }
  });
}

describe("the addon's C side follows @seqloom/core's kernel contract", () => {
  it('native/contract.h is what the contract gives (run `pnpm --filter @seqloom/native build` after changing it)', () => {
    expect(readFileSync(HEADER_PATH, 'utf8')).toBe(contractHeader(contract));
  });

  it('the header names every op and mode code and declares every addon function once', () => {
    const header = contractHeader(contract);
    expect(header).toContain('SEQLOOM_BINARY_DIV = 3,');
    expect(header).toContain('SEQLOOM_MODE_COLUMN_A = 6,');
    expect(header).toContain('SEQLOOM_UNARY_ABS = 9,');
    for (const [js, c] of Object.entries(contract.ADDON_FUNCTIONS)) expect(header.split(`X("${js}", ${c})`)).toHaveLength(2);
  });

  it.skipIf(unavailable !== undefined)('the built addon exports exactly the contract’s functions', () => {
    expect(Object.getOwnPropertyNames(loadNativeAddon()).sort()).toEqual(Object.keys(contract.ADDON_FUNCTIONS).sort());
  });

  it('every kernel name is written once, in the contract: no package source spells one out', () => {
    const names = Object.values(contract.SEQLOOM_KERNELS).map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    const literal = new RegExp(`['"](${names.join('|')})['"]`); // string literals (docs name them in backticks)
    const spelled = sources(join(PACKAGES, '..', 'packages')).filter((file) => literal.test(readFileSync(file, 'utf8')));
    expect(spelled.map((file) => relative(PACKAGES, file))).toEqual([join('core', 'src', 'kernel-contract', 'contract-table.ts')]);
  });
});
