/**
 * The Electron bundle (dist/electron, built by build/build-host.mjs) runs: main.cjs under
 * plain Node with a stand-in `electron` starts the host on the default simulated config,
 * renders a frame with the bundled camera worker, and refuses an out-of-envelope move.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
    expect(r.guards).toEqual(
      expect.arrayContaining(['will-navigate', 'will-frame-navigate', 'will-attach-webview']),
    );
  }, 60_000);

  it('builds the CLI bundle with its input list; it runs host-client commands alone', async () => {
    const cli = path.join(root, 'dist/cli/cli.mjs');
    const inputs = JSON.parse(readFileSync(path.join(root, 'dist/cli/inputs.json'), 'utf8'));
    expect(inputs).toEqual(
      expect.arrayContaining(['electron/cli/main.ts', 'electron/cli/call-command.ts']),
    );
    expect(inputs.some((f: string) => f.includes('node_modules'))).toBe(false);
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { runCli } = await import(${JSON.stringify(cli)});
        const lines = [];
        const code = await runCli(['state'], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
        console.log(JSON.stringify({ code, lines }));`,
      ],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, AQUILA_URL: 'http://127.0.0.1:9/', AQUILA_TOKEN: 'x'.repeat(20) },
      },
    );
    expect(JSON.parse(out)).toEqual({
      code: 2,
      lines: [
        expect.stringMatching(
          /^aquila state: Cannot reach the host at http:\/\/127\.0\.0\.1:9\/: /,
        ),
      ],
    });
  });
});
