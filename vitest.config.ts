import { defineConfig } from 'vitest/config';

/** Unit and integration tests: pure rules beside their code, datastore tests against real SQLite files. */
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'renderer/**/*.test.ts', 'electron/**/*.test.ts', 'migrations/**/*.test.ts', 'test/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Real peers (FreeRADIUS, PostgreSQL, tshark) run beside the tests on two shared cores; one more
    // try tells a slow moment from a failure, which fails both times and is reported as such.
    retry: 1,
  },
});
