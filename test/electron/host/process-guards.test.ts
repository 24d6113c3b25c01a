import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHUTDOWN_BOUND_MS, WORKER_STOP_MS } from '../../../electron/host/process-guards';
import { repoRoot } from '../../support/serve-process';

function runGuarded(
  mode: 'throw' | 'reject' | 'signal' | 'stuck-worker',
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/guarded-host.ts'), mode],
      { cwd: repoRoot },
    );
    let out = '';
    let t0 = 0;
    child.stdout.on('data', (d) => {
      out += d;
      if (mode.match(/signal|stuck/) && out.includes('ready\n') && t0 === 0) {
        t0 = performance.now();
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`guarded host did not exit:\n${out}`));
    }, 30_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, ms: performance.now() - t0 });
    });
  });
}

describe('process guards', () => {
  it.each([
    ['throw', 1, /uncaught host error/],
    ['reject', 1, /uncaught host error/],
    ['signal', 0, /signal SIGTERM/],
  ] as const)(
    'on %s every laser is switched off before the process exits',
    async (mode, exitCode, reason) => {
      const { code, out } = await runGuarded(mode);
      expect(out).toContain('EMISSION laser488 on');
      const offAt = out.indexOf('EMISSION laser488 off');
      expect(offAt).toBeGreaterThan(out.indexOf('EMISSION laser488 on'));
      expect(out).toContain('EMISSION laser640 off');
      expect(out).toMatch(reason);
      expect(code).toBe(exitCode);
    },
    40_000,
  );

  it('a shutdown ends the process even while a worker thread is stuck in a native call', async () => {
    const { signal, out, ms } = await runGuarded('stuck-worker');
    expect(out).toContain('EMISSION laser488 off');
    expect(out).toMatch(/A worker thread did not stop within \d+ ms/);
    // process.exit() would join the stuck thread for ever; the process dies by the signal instead.
    expect(signal).toBe('SIGTERM');
    expect(ms).toBeLessThan(SHUTDOWN_BOUND_MS + WORKER_STOP_MS + 5_000);
  }, 40_000);
});
