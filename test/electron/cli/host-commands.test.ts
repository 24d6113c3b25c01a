/**
 * `aquila state`, `aquila datasets` and `aquila call` against a running `aquila serve`, and
 * one datasets folder: a dataset `aquila acquire --out DIR` writes is listed by the
 * `serve --datasets DIR` that runs meanwhile.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { repoRoot, startServe, type ServeProcess } from '../../support/serve-process';
import { tempDir } from '../../support/temp-dir';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const smallScope = {
  name: 'cli-host',
  devices: [
    {
      id: 'laser488',
      kind: 'laser',
      driver: 'sim',
      options: { wavelengthNm: 488, maxPowerMw: 10 },
    },
    {
      id: 'camera',
      kind: 'camera',
      driver: 'sim',
      options: { widthPx: 32, heightPx: 32, pixelSizeUm: 0.5 },
    },
  ],
  limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
  channels: [{ name: 'GFP', laserId: 'laser488', powerMw: 1, exposureMs: 1 }],
};

let serve: ServeProcess;
let dir: string;
let datasets: string;
const saved = { url: process.env.AQUILA_URL, token: process.env.AQUILA_TOKEN };

beforeAll(async () => {
  dir = tempDir('aquila-cli-host-');
  datasets = path.join(dir, 'data');
  writeFileSync(path.join(dir, 'cfg.json'), JSON.stringify(smallScope));
  serve = await startServe(['--config', path.join(dir, 'cfg.json'), '--datasets', datasets]);
  process.env.AQUILA_URL = serve.baseUrl;
  process.env.AQUILA_TOKEN = serve.token;
}, 60_000);

afterAll(async () => {
  process.env.AQUILA_URL = saved.url;
  process.env.AQUILA_TOKEN = saved.token;
  if (saved.url === undefined) delete process.env.AQUILA_URL;
  if (saved.token === undefined) delete process.env.AQUILA_TOKEN;
  await serve?.stop();
});

describe('CLI commands on a running host', () => {
  it('state prints the host state as one JSON line', async () => {
    const r = io();
    expect(await runCli(['state'], r.io)).toBe(0);
    expect(r.out).toHaveLength(1);
    const state = JSON.parse(r.out[0]!);
    expect(state.instrument.name).toBe('cli-host');
    expect(state.storage.datasetsRoot).toBe(datasets);
  });

  it('datasets lists what `acquire --out` wrote into the folder serve uses', async () => {
    const before = io();
    expect(await runCli(['datasets'], before.io)).toBe(0);
    expect(before.out).toEqual([`No datasets in ${datasets}`]);
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({ channels: [{ config: 'GFP' }], time_plan: { interval: 0, loops: 2 } }),
    );
    const acq = io();
    const args = ['acquire', plan, '--config', path.join(dir, 'cfg.json'), '--out', datasets];
    expect(await runCli([...args, '--name', 'from-cli'], acq.io)).toBe(0);
    const after = io();
    expect(await runCli(['datasets'], after.io)).toBe(0);
    expect(after.out).toHaveLength(1);
    expect(after.out[0]).toMatch(/^from-cli {2}complete, 2 frames, closed {2}.*from-cli$/);
    const json = io();
    expect(await runCli(['datasets', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out[0]!)).toMatchObject({
      datasetsRoot: datasets,
      datasets: [{ name: 'from-cli', closed: true, framesWritten: 2 }],
    });
    // the UI's state has it too
    const state = io();
    await runCli(['state'], state.io);
    expect(JSON.parse(state.out[0]!).datasets.map((d: { name: string }) => d.name)).toEqual([
      'from-cli',
    ]);
  }, 60_000);

  it('the bin entry runs call without npx; a wrong token is one line, exit 2', async () => {
    const bin = path.join(repoRoot, 'bin/aquila.mjs');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [bin, 'call', 'safety.reset'], {
      env: process.env,
    });
    expect(stdout).toBe('{}\n');
    const bad = await run(process.execPath, [bin, 'state'], {
      env: { ...process.env, AQUILA_TOKEN: 'wrong-token-wrong-token' },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    expect((bad as { stderr: string }).stderr).toMatch(/^aquila state: /);
  }, 30_000);

  it('serve warns about an unusable configured datasets folder and serves anyway', async () => {
    const cfg = path.join(dir, 'bad-root.json');
    writeFileSync(
      cfg,
      JSON.stringify({ ...smallScope, storage: { datasetsRoot: '/proc/aquila-x' } }),
    );
    const other = await startServe(['--config', cfg]);
    try {
      expect(other.output()).toContain(
        `warning: ${cfg}: storage.datasetsRoot /proc/aquila-x: cannot create /proc/aquila-x (ENOENT`,
      );
    } finally {
      await other.stop();
    }
  }, 60_000);

  it('a malformed AQUILA_URL is one line', async () => {
    const url = process.env.AQUILA_URL;
    process.env.AQUILA_URL = 'localhost:8420';
    try {
      const r = io();
      expect(await runCli(['state'], r.io)).toBe(2);
      expect(r.err).toEqual([
        'aquila state: The host address "localhost:8420" is not a URL (AQUILA_URL?)',
      ]);
    } finally {
      process.env.AQUILA_URL = url;
    }
  });

  it('without a running host, state and datasets say how to start one', async () => {
    const url = process.env.AQUILA_URL;
    const home = process.env.AQUILA_HOME;
    delete process.env.AQUILA_URL;
    process.env.AQUILA_HOME = tempDir('aquila-nohome-');
    try {
      for (const cmd of ['state', 'datasets']) {
        const r = io();
        expect(await runCli([cmd], r.io)).toBe(2);
        expect(r.err).toEqual([
          `aquila ${cmd}: No running host found: start one with "npm run serve", or set AQUILA_URL and AQUILA_TOKEN`,
        ]);
      }
    } finally {
      process.env.AQUILA_URL = url;
      if (home === undefined) delete process.env.AQUILA_HOME;
      else process.env.AQUILA_HOME = home;
    }
  });
});
