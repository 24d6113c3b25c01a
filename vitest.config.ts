import { defineConfig } from 'vitest/config';

/** Upload tests that share the run's one Ceph cluster (test/support/ceph-global-setup.ts). */
const SHARED_GATEWAY = [
  'test/electron/upload/crash.test.ts',
  'test/electron/upload/live-archive.test.ts',
  'test/electron/upload/s3-failures.test.ts',
  'test/electron/upload/s3-target.test.ts',
  'test/electron/upload/stall.test.ts',
];

/**
 * Files that run one at a time: they start machine-wide services (Chromium and `aquila serve`,
 * Ceph, sshd, SLURM, Aravis's fake camera on GVCP's fixed port), spawn host processes, or
 * bound wall-clock time (frame and serial timing, real-time device waits, latencies), which a
 * second test file on the other core would stretch. A new file that does any of this belongs
 * here; every other file runs two at a time.
 */
const SERIAL = [
  'test/e2e/**/*.test.ts',
  'test/electron/upload/**/*.test.ts',
  'test/electron/macros/**/*.test.ts',
  'test/electron/safety/**/*.test.ts',
  'test/electron/analysis/**/*.test.ts',
  'test/drivers/cameras/**/*.test.ts',
  'test/drivers/lasers/**/*.test.ts',
  'test/drivers/stages/**/*.test.ts',
  'test/drivers/serial/**/*.test.ts',
  'test/drivers/sim/**/*.test.ts',
  'test/build/host-bundle.test.ts',
  'test/electron/cli/acquire-kill.test.ts',
  'test/electron/cli/commands/cameras.test.ts',
  'test/electron/cli/run-command.test.ts',
  'test/electron/cli/serve-signals.test.ts',
  'test/electron/host/access-control.test.ts',
  'test/electron/host/analysis.test.ts',
  'test/electron/host/automation-drift.test.ts',
  'test/electron/host/camera-features.test.ts',
  'test/electron/host/focus-lock-rate.test.ts',
  'test/electron/host/focus-lock-sim-time.test.ts',
  'test/electron/host/host-ws.test.ts',
  'test/electron/host/process-guards.test.ts',
  'test/electron/automation/flimp/run-control.test.ts',
  'test/electron/remote/frame-pacer.test.ts',
  'test/electron/runner/mda-runner.test.ts',
];

const ALL = ['test/**/*.test.ts', 'test/**/*.test.tsx'];

// One suite for `npm test`, in three projects run one after another: "unit" and then "s3" two
// files at a time, then "serial" one file at a time. Browser end-to-end tests (test/e2e) start `npm run serve`-
// style hosts and Debian's Chromium, with longer timeouts.
export default defineConfig({
  test: {
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
    projects: [
      { extends: true, test: { name: 'unit', include: ALL, exclude: SERIAL, maxWorkers: 2 } },
      {
        extends: true,
        test: { name: 'serial', include: SERIAL, exclude: SHARED_GATEWAY, maxWorkers: 1 },
      },
      {
        extends: true,
        test: {
          name: 's3',
          include: SHARED_GATEWAY,
          // Two at a time on their own buckets: they wait on throttled links and the gateway.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          globalSetup: ['test/support/ceph-global-setup.ts'],
        },
      },
    ],
  },
});
