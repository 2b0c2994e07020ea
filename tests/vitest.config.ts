import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] } },
  // the CLI picks its engine as users get it (native where the addon is built); tests of one engine pass --backend
  test: { name: 'e2e', include: ['**/*.test.ts'], exclude: ['**/node_modules/**', 'packaging/**'], testTimeout: 120_000, hookTimeout: 120_000 },
});
