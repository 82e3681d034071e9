import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['mock-idp/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'apps/course/server/**/*.test.ts', 'labs/*/test/**/*.test.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    // Integration tests start real HTTPS servers; forks keep each file's
    // servers and environment to itself.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
