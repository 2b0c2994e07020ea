import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browserEntry from '../src/browser.js';
import * as nodeEntry from '../src/index.js';

// The Node root is derived from the browser entry (index.ts re-exports
// browser.ts and adds the file system), so the two lists cannot drift apart.
describe('the entry points', () => {
  it('the Node root gives every name of the browser entry, the same except tokenizerFromJson', () => {
    const browserNames = Object.keys(browserEntry).sort();
    expect(browserNames.length).toBeGreaterThan(15);
    for (const name of browserNames) expect(nodeEntry, name).toHaveProperty(name);
    const replaced = browserNames.filter((name) => (nodeEntry as Record<string, unknown>)[name] !== (browserEntry as Record<string, unknown>)[name]);
    expect(replaced).toEqual(['tokenizerFromJson']);
  });

  it('adds the Node-only readers and loaders, which the browser entry lacks', () => {
    for (const name of ['loadTokenizer', 'readCorpusLines', 'readTextLines', 'readWordVectors', 'writeProjectorFiles', 'tokenizerFromSpec']) {
      expect(nodeEntry, name).toHaveProperty(name);
      expect(browserEntry, name).not.toHaveProperty(name);
    }
  });

  it("the Node root's tokenizerFromJson saves to disk; the browser's refuses", async () => {
    const json = await browserEntry.trainCharTokenizer(['abc', 'cab']);
    const dir = await mkdtemp(join(tmpdir(), 'seqloom-entry-'));
    try {
      await nodeEntry.tokenizerFromJson(json).save(join(dir, 'tokenizer.json'));
      expect(JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'))).toHaveProperty('model');
      await expect(browserEntry.tokenizerFromJson(json).save(join(dir, 'other.json'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
