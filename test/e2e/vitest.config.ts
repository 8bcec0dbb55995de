import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end tests: Chromium drives the built renderer served by an in-process web host, each test
 * file with its own data directory and port. `npm run build:renderer` must have run first.
 */
export default defineConfig({
  root: resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/support/preflight.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // The same patience as the locators' auto-wait: a shared, busy machine is slow, not broken.
    expect: { poll: { timeout: 15_000, interval: 100 } },
    // A browser on two shared cores now and then loses a race a person would not notice; one more
    // try tells that from a failure, which fails both times and is reported as such.
    retry: 1,
    pool: 'forks',
    // Two cores are shared: one browser at a time keeps timings honest.
    fileParallelism: false,
  },
});
