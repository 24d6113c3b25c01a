import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/main';
import { tempDir } from '../../support/temp-dir';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const tmp = () => tempDir('aquila-cli-');

describe('aquila CLI', () => {
  it('prints help with every subcommand and API command; unknown commands exit 2', async () => {
    const h = io();
    expect(await runCli(['help'], h.io)).toBe(0);
    const text = h.out.join('\n');
    for (const name of ['stage.moveTo', 'run.start', 'datasets.refresh'])
      expect(text).toContain(name);
    // every CLI command's usage line as typed, `aquila <name> …` (summaries follow indented)
    const usages = h.out.filter((l) => l.includes('\n      ')).map((l) => l.split('\n')[0]!);
    expect(usages.map((l) => l.trim().split(' ').slice(0, 2).join(' '))).toEqual(
      [
        'serve',
        'call',
        'state',
        'datasets',
        'plan',
        'acquire',
        'upload',
        'analysis',
        'ports',
        'users',
        'audit',
        'automate',
        'autofocus',
        'rois',
        'cameras',
        'run',
      ].map((n) => `aquila ${n}`),
    );
    const u = io();
    expect(await runCli(['frobnicate'], u.io)).toBe(2);
    expect(u.err[0]).toMatch(/unknown command "frobnicate"/);
  });

  it('plan events prints one useq-style JSON object per event', async () => {
    const dir = tmp();
    const file = path.join(dir, 'p.json');
    writeFileSync(
      file,
      JSON.stringify({ channels: [{ config: 'GFP', exposure: 5 }], z_plan: { range: 2, step: 1 } }),
    );
    const r = io();
    expect(await runCli(['plan', 'events', file], r.io)).toBe(0);
    const events = r.out.map((l) => JSON.parse(l));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      index: { c: 0, z: 0 },
      channel: { config: 'GFP' },
      exposure: 5,
      z_pos: -1,
    });
  });

  it('acquire runs a plan headless into --out and reports a bad plan with exit 2', async () => {
    const dir = tmp();
    const cfg = path.join(dir, 'cfg.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        name: 'cli',
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
            options: { widthPx: 64, heightPx: 64, pixelSizeUm: 0.5 },
          },
        ],
        limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
        channels: [{ name: 'GFP', laserId: 'laser488', powerMw: 1, exposureMs: 2 }],
      }),
    );
    const plan = path.join(dir, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({ channels: [{ config: 'GFP' }], time_plan: { interval: 0, loops: 3 } }),
    );
    const r = io();
    expect(
      await runCli(
        [
          'acquire',
          plan,
          '--config',
          cfg,
          '--out',
          path.join(dir, 'data'),
          '--name',
          'tl',
          '--format',
          'ome-tiff',
        ],
        r.io,
      ),
    ).toBe(0);
    expect(r.out.at(-1)).toMatch(/Run finished: 3 frames, 0 dropped/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '[1,2]');
    const b = io();
    expect(await runCli(['acquire', bad, '--config', cfg], b.io)).toBe(2);
    expect(b.err[0]).toMatch(/expected a JSON object/);
  }, 60_000);

  it('serve refuses a bad port and unknown flags with one line, before starting a host', async () => {
    for (const [argv, msg] of [
      [
        ['serve', '--port', '99999'],
        /^aquila serve: --port must be an integer from 0 to 65535, got "99999"$/,
      ],
      [
        ['serve', '--host', '0.0.0.0'],
        /^aquila serve: unknown option --host \(this command takes /,
      ],
      [['serve', '--bind=0.0.0.0'], /^aquila serve: unknown option --bind /],
      [['acquire', 'p.json', '--ouT', 'x'], /^aquila acquire: unknown option --ouT /],
      [['call', 'estop', '--token', 'x'], /^aquila call: unknown option --token /],
      [['acquire', 'a.json', 'b.json'], /^aquila acquire: unexpected argument "b.json"/],
      [['ports', '--probe'], /^aquila ports: --probe needs a value$/],
    ] as const) {
      const r = io();
      expect(await runCli([...argv], r.io)).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(msg);
    }
  });

  it('acquire refuses an unusable --out up front with one line: /proc, a file in the way', async () => {
    const dir = tmp();
    const plan = path.join(dir, 'plan.json');
    writeFileSync(plan, JSON.stringify({ channels: [{ config: 'GFP' }] }));
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const [out, msg] of [
      ['/proc/aquila-x', /--out \/proc\/aquila-x: cannot create \/proc\/aquila-x \(ENOENT/],
      [file, /--out .*a-file: .*a-file is a file, not a folder$/],
      [path.join(file, 'sub'), /--out .*a-file\/sub: .*a-file is a file, not a folder$/],
    ] as const) {
      const r = io();
      expect(await runCli(['acquire', plan, '--out', out], r.io)).toBe(2);
      expect(r.err).toHaveLength(1);
      expect(r.err[0]).toMatch(msg);
    }
  }, 10_000);

  it('serve on a port in use ends with one line naming the port', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as AddressInfo).port;
    const cfg = path.join(tmp(), 'cfg.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        name: 'busy',
        devices: [
          {
            id: 'laser488',
            kind: 'laser',
            driver: 'sim',
            options: { wavelengthNm: 488, maxPowerMw: 10 },
          },
        ],
        limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
      }),
    );
    const r = io();
    try {
      expect(await runCli(['serve', '--port', String(port), '--config', cfg], r.io)).toBe(2);
    } finally {
      busy.close();
    }
    expect(r.err.at(-1)).toBe(
      `aquila serve: cannot listen on 127.0.0.1:${port} (EADDRINUSE): choose another --port`,
    );
  });
});
