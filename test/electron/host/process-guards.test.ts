import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/serve-process';

function runGuarded(
  mode: 'throw' | 'reject' | 'signal',
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/guarded-host.ts'), mode],
      { cwd: repoRoot },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (mode === 'signal' && out.includes('ready\n')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`guarded host did not exit:\n${out}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
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
});
