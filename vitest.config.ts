import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,tle,scheduler,relay,network,test}/**/*.test.ts'],
    exclude: ['node_modules/**', 'var/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/support/fast-check.setup.ts', 'test/support/response-contract.setup.ts'],
    // Integration suites share one Redis; each uses its own key prefix, so files may run in parallel.
    fileParallelism: true,
  },
});
