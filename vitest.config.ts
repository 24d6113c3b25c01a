import { defineConfig } from 'vitest/config';

// One suite for `npm test`. Browser end-to-end tests (test/e2e) start `npm run serve`-style
// hosts and Debian's Chromium; they run in the same command, serially, with longer timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    setupFiles: ['test/support/cleanup.setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    dangerouslyIgnoreUnhandledErrors: false,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.vitest-report.json' },
  },
});
