/**
 * `aquila acquire` starts the safety supervisor too: a headless run with an OBIS laser on a
 * pty wire simulator (simulated stage and camera), SIGKILLed mid-run → the supervisor puts
 * the off command on the wire and reports it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ObisSim } from '../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import { repoRoot } from '../../support/serve-process';
import { OFF_LINE, isAlive, processTree } from '../../support/supervised-rig';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

let obis: RunningWireSim<ObisSim> | undefined;

afterEach(async () => {
  await obis?.stop();
});

it('SIGKILL of an acquire run: its supervisor switches the serial laser off', async () => {
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
  obis = await runWireSim(new ObisSim(world, 'obis', { cdrhDelayMs: 0 }));
  const dir = tempDir('aquila-acquire-kill-');
  const config = path.join(dir, 'config.json');
  const plan = path.join(dir, 'plan.json');
  writeFileSync(
    config,
    JSON.stringify({
      name: 'acquire with a serial laser',
      devices: [
        { id: 'stage', kind: 'xy-stage', driver: 'sim' },
        { id: 'obis', kind: 'laser', driver: 'obis', options: { port: obis.devicePath } },
        {
          id: 'camera',
          kind: 'camera',
          driver: 'sim',
          options: { widthPx: 64, heightPx: 64, pixelSizeUm: 0.5 },
        },
      ],
      limits: { xUm: { min: -10, max: 10 }, yUm: { min: -10, max: 10 }, zUm: { min: -1, max: 1 } },
      channels: [{ name: 'GFP', laserId: 'obis', powerMw: 5, exposureMs: 5 }],
    }),
  );
  writeFileSync(
    plan,
    JSON.stringify({
      channels: [{ config: 'GFP', exposure: 5 }],
      time_plan: { interval: 'PT0.2S', loops: 1000 },
    }),
  );
  const child = spawn(
    process.execPath,
    ['bin/aquila.mjs', 'acquire', plan, '--config', config, '--out', path.join(dir, 'data')],
    { cwd: repoRoot, env: { ...process.env, AQUILA_HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    await until(
      'the run to start',
      () => /^Acquiring \d+ events/m.test(out) || child.exitCode !== null,
      30_000,
    );
    await until(
      'the laser to be used',
      () => obis!.sim.received.some((r) => /^SOUR:AM:STAT ON$/.test(r.line)),
      10_000,
    );
    const args = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const supervisor = processTree(child.pid!).find((pid) => args(pid).includes('supervisor-main'));
    expect(supervisor, out).toBeDefined();
    const t0 = performance.now();
    child.kill('SIGKILL');
    await until('the supervisor to finish', () => !isAlive(supervisor!), 10_000);
    expect(
      obis.sim.received.find((r) => r.atMs >= t0 && OFF_LINE.obis.test(r.line.trim())),
      out,
    ).toBeDefined();
    expect(obis.sim.line.emission).toBe(false);
    expect(out).toMatch(/aquila-supervisor: laser obis \(.*\): confirmed-off/);
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);
