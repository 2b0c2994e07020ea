import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] } },
  test: { name: 'datasets', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000 }, // parsing the dictionary takes seconds on a busy machine
});
