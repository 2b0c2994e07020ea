import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] } },
  // these tests check the wasm backend's status lines: the native engine is turned off here
  test: { env: { SEQLOOM_NATIVE: 'off' }, name: 'cli', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
