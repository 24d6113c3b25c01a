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
    // Test-side S3 clients (gateway checks, baselines) need not repeat the SDK's Node-version
    // warning in every log; the host's own client silences it itself (s3-client.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    dangerouslyIgnoreUnhandledErrors: false,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.vitest-report.json' },
  },
});
