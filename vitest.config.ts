import { defineConfig } from 'vitest/config';

// Tests run from TypeScript source: the "source" export condition maps every
// @seqloom/* package to its src/index.ts, so no build step is needed.
export default defineConfig({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] } },
  test: {
    projects: [
      'packages/core',
      'packages/tokenizer',
      'packages/decode',
      'packages/metrics',
      'packages/datasets',
      'packages/native',
      'packages/seq2seq',
      'packages/onnx',
      'packages/cli',
      'tests',
    ],
  },
});
