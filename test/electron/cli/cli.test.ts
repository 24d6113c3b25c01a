import { writeFileSync } from 'node:fs';
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
    for (const name of ['serve', 'call', 'plan', 'acquire', 'stage.moveTo', 'run.start'])
      expect(text).toContain(name);
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
});
