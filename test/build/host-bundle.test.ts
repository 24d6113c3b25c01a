/**
 * The Electron bundle (dist/electron, built by build/build-host.mjs) runs: main.cjs under
 * plain Node with a stand-in `electron` starts the host on the default simulated config,
 * renders a frame with the bundled camera worker, and refuses an out-of-envelope move.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ObisSim } from '../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../drivers/sim/world';
import { snapshotBuffer } from '../../electron/macros/read-snapshot';
import { runWireSim } from '../../drivers/wire-sim/run-sim';
import { isAlive, processTree } from '../support/supervised-rig';
import { tempDir } from '../support/temp-dir';
import { until } from '../support/wait';

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

  it('bundles the macro sandbox worker; it loads the QuickJS wasm and calls the host', async () => {
    const { Worker, MessageChannel } = await import('node:worker_threads');
    const channel = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(path.join(root, 'dist/electron/sandbox.worker.js'), {
      workerData: {
        source: `const p = await aquila.stage.position();\naquila.log('x', p.xUm);`,
        filename: 'm.js',
        commandNames: ['stage.position'],
        syncCommands: ['stage.position'],
        params: {},
        limits: { memoryBytes: 32 << 20, stackBytes: 256 << 10, workPolls: 1e6 },
        abortFlag: new SharedArrayBuffer(4),
        callPort: channel.port2,
        callSignal: signal.buffer,
        // an empty snapshot slot: the read falls back to the synchronous call channel
        snapshot: snapshotBuffer(1),
        snapshotCommands: ['stage.position'],
      },
      transferList: [channel.port2],
    });
    const seen: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: { type: string; id?: number }) => {
        seen.push(m);
        if (m.type === 'call') {
          // a read-only command: answered on the synchronous call channel (protocol.ts)
          channel.port1.postMessage({ type: 'reply', id: m.id, ok: true, json: '{"xUm":7}' });
          Atomics.add(signal, 0, 1);
          Atomics.notify(signal, 0);
        }
        if (m.type === 'done') resolve();
      });
    });
    await worker.terminate();
    channel.port1.close();
    expect(seen).toContainEqual({ type: 'log', level: 'info', text: 'x 7' });
    expect(seen.at(-1)).toEqual({ type: 'done', ok: true });
  }, 30_000);

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

  it('the bundled app starts its supervisor from the bundle; SIGKILLed, the supervisor switches the laser off', async () => {
    const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
    const obis = await runWireSim(new ObisSim(world, 'obis', { cdrhDelayMs: 0 }));
    const dir = tempDir('aquila-bundle-');
    const config = path.join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'bundle with a serial laser',
        devices: [
          { id: 'obis', kind: 'laser', driver: 'obis', options: { port: obis.devicePath } },
        ],
        limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
        storage: { datasetsRoot: path.join(dir, 'data') },
      }),
    );
    const child = spawn(
      process.execPath,
      ['-r', path.join(root, 'test/fixtures/fake-electron.cjs'), main, `--config=${config}`],
      {
        cwd: root,
        env: { ...process.env, AQUILA_HOME: dir, AQUILA_FAKE_ELECTRON_STAY: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      await until('the app to drive its window', () => out.includes('"loadedFile"'), 30_000);
      const args = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const supervisor = processTree(child.pid!).find((pid) =>
        args(pid).some((a) => a.endsWith(path.join('dist', 'electron', 'supervisor-main.js'))),
      );
      expect(supervisor, `supervisor process from the bundle:\n${out}`).toBeDefined();
      const t0 = performance.now();
      child.kill('SIGKILL');
      await until('the supervisor to finish', () => !isAlive(supervisor!), 10_000);
      const off = obis.sim.received.find(
        (r) => r.atMs >= t0 && /^SOUR:AM:STAT OFF$/.test(r.line.trim()),
      );
      expect(off, out).toBeDefined();
    } finally {
      child.kill('SIGKILL');
      await obis.stop();
    }
  }, 60_000);
});
