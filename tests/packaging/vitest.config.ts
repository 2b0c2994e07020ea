import { defineProject } from 'vitest/config';

// `pnpm test:packaging`: packs, installs and runs every package outside the monorepo (minutes; .ci/run calls it after `pnpm test`).
export default defineProject({
  test: { name: 'packaging', root: `${import.meta.dirname}/..`, include: ['packaging/**/*.test.ts'], testTimeout: 600_000, hookTimeout: 600_000 },
});
