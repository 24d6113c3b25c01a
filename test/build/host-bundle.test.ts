/**
 * The Electron bundle (dist/electron, built by build/build-host.mjs) runs: main.cjs under
 * plain Node with a stand-in `electron` starts the host on the default simulated config,
 * renders a frame with the bundled camera worker, and refuses an out-of-envelope move.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'dist/electron/main.cjs');

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'build/build-host.mjs')], {
    cwd: root,
    stdio: 'pipe',
  });
}, 60_000);

describe('host bundle for Electron', () => {
  it('builds main, preload and the worker entries', () => {
    for (const f of ['main.cjs', 'preload.cjs', 'render.worker.js'])
      expect(existsSync(path.join(root, 'dist/electron', f))).toBe(true);
  });

  it('bundles the safety supervisor as a process that runs under plain Node', () => {
    const supervisor = path.join(root, 'dist/electron/supervisor-main.js');
    // A bad plan line is refused with the field named; stdin then ends, so it exits.
    const run = spawnSync(process.execPath, [supervisor], {
      input: '{"hostPid":1,"reportDir":"/tmp","devices":[{"role":"laser"}]}\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stdout).toMatch(/^error plan\.devices\[0\]\.ids: expected a non-empty list/m);
    expect(run.status).toBe(2);
    const ok = spawnSync(process.execPath, [supervisor], {
      input: '{"hostPid":1,"reportDir":"/tmp","devices":[]}\ndisarm\n',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(ok.stdout).toBe('ready\n');
    expect(ok.status).toBe(0);
  });

  it('starts the host, serves IPC and renders with the bundled worker', () => {
    const out = execFileSync(
      process.execPath,
      ['-r', path.join(root, 'test/fixtures/fake-electron.cjs'), main],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 45_000,
        env: { ...process.env, AQUILA_LOG: 'warn' },
      },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(r.loadedFile).toBe('index.html');
    expect(r.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(r.webPreferences.preload).toMatch(/preload\.cjs$/);
    expect(r.move).toEqual({ ok: true, value: { xUm: 12, yUm: 34 } });
    expect(r.snap).toMatchObject({ ok: true, value: { seq: 1 } });
    expect(r.refused).toMatchObject({ ok: false, error: { code: 'E_LIMIT' } });
    expect(r.sent[0]).toBe('hello');
  }, 60_000);
});
