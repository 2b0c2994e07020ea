import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from './helpers/browser-bundle.js';

// The browser entries are bundled as a page's bundler would (esbuild, platform
// "browser"): not one Node built-in module may be imported on the way.
describe('browser entries', () => {
  it('@seqloom/decode, @seqloom/tokenizer and @seqloom/seq2seq bundle for a browser without any node: import', async () => {
    const bundle = await bundleForBrowser(`
      export * as decode from '@seqloom/decode';
      export * as tokenizer from '@seqloom/tokenizer';
      export * as seq2seq from '@seqloom/seq2seq';
    `);
    expect(bundle.errors).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
    const ours = bundle.inputs.filter((path) => path.includes('packages/'));
    // the browser entries, not the Node roots, and none of the Node-only parts (decode's and core's roots are browser entries)
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/packages\/tokenizer\/src\/browser\.ts$/),
        expect.stringMatching(/packages\/seq2seq\/src\/browser\.ts$/),
        expect.stringMatching(/packages\/seq2seq\/src\/checkpoint\/web-readers\.ts$/),
      ]),
    );
    for (const nodeOnly of [
      'folder-reader',
      'threaded-wasm',
      'worker-thread',
      'atomic-write',
      'core/src/node/',
      'utf8-file',
      'native-backend',
      'src/index.ts',
    ]) {
      expect(
        ours.filter((path) => path.includes(nodeOnly) && !/packages\/(decode|core)\/src\/index\.ts$/.test(path)),
        nodeOnly,
      ).toEqual([]);
    }
  }, 60_000);

  it('@seqloom/onnx bundles for a browser from its browser entry (onnxruntime-web), without any node: import', async () => {
    const bundle = await bundleForBrowser(`export * as onnx from '@seqloom/onnx';`);
    expect(bundle.errors).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
    const ours = bundle.inputs.filter((path) => path.includes('packages/onnx/'));
    expect(ours).toEqual(expect.arrayContaining([expect.stringMatching(/packages\/onnx\/src\/browser\.ts$/)]));
    expect(ours.filter((path) => /src\/(index|folder-reader)\.ts$/.test(path))).toEqual([]);
    expect(bundle.inputs.some((path) => path.includes('node_modules/onnxruntime-node/'))).toBe(false);
  }, 60_000);

  it('the ./browser subpaths are the same entries', async () => {
    const bundle = await bundleForBrowser(`
      export * as tokenizer from '@seqloom/tokenizer/browser';
      export * as seq2seq from '@seqloom/seq2seq/browser';
    `);
    expect(bundle.errors).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
  }, 60_000);

  it('a page\'s bundle of @seqloom/seq2seq takes tfjs-core and the wasm and cpu backends, not all of tfjs (the package\'s "browser" field)', async () => {
    const bundle = await bundleForBrowser(`
      export { loadTrainedModelFromUrl, setBackend, generateTexts } from '@seqloom/seq2seq/browser';
      export { generate } from '@seqloom/decode';
    `);
    expect(bundle.errors).toEqual([]);
    const packages = new Set(bundle.inputs.map((path) => /node_modules\/(@tensorflow\/[^/]+)\//.exec(path)?.[1]).filter(Boolean));
    expect([...packages].sort()).toEqual(['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-core']);
    // the cpu backend registers its kernels (its side-effect import is kept)
    expect(bundle.inputs.some((path) => /tfjs-backend-cpu\/dist\/register_all_kernels\.js$/.test(path))).toBe(true);
  }, 60_000);

  it('the Node-only subpaths do not resolve for a browser', async () => {
    for (const subpath of ['data', 'parallel', 'kernels', 'tooling']) {
      const bundle = await bundleForBrowser(`export * from '@seqloom/seq2seq/${subpath}';`);
      expect(bundle.errors.join('\n'), subpath).toMatch(/not exported|no "exports" condition|Could not resolve/i);
    }
  }, 60_000);

  it('the check catches a Node import (the Node root of @seqloom/tokenizer)', async () => {
    const bundle = await bundleForBrowser(`export * from '@seqloom/tokenizer';`, 'neutral');
    expect(bundle.nodeImports.join('\n')).toMatch(/node:fs\/promises imported by .*packages\/tokenizer\/src\//);
  }, 60_000);
});
