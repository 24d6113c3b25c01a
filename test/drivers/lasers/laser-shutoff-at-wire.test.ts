/**
 * Laser shut-off at the wire: OBIS and Cobolt wire simulators on real ptys, driven by the
 * real drivers through the host. On e-stop, on SIGTERM and on an uncaught host error, each
 * simulator must receive its emission-off command within 200 ms.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoboltSim } from '../../../drivers/lasers/cobolt/cobolt-sim';
import { ObisSim } from '../../../drivers/lasers/obis/obis-sim';
import { SimWorld } from '../../../drivers/sim/world';
import { runWireSim, type RunningWireSim } from '../../../drivers/wire-sim/run-sim';
import type { WireSimulator } from '../../../drivers/wire-sim/sim-base';
import { loadConfig } from '../../../electron/config/load';
import { createHost } from '../../../electron/host/host';
import { silentLogger } from '../../../electron/host/logger';
import { repoRoot } from '../../support/serve-process';
import { tempDir } from '../../support/temp-dir';

const OFF = { obis: /^SOUR(CE)?:AM:STAT(E)? OFF$/i, cobolt: /^l0$/ };
const LIMIT_MS = 200;

let sims: { obis: RunningWireSim<WireSimulator>; cobolt: RunningWireSim<WireSimulator> };
let configPath: string;

beforeEach(async () => {
  const world = new SimWorld({ seed: 1, cellCount: 0, slideHalfWidthUm: 10 });
  sims = {
    obis: await runWireSim(new ObisSim(world, 'obis', { cdrhDelayMs: 0 })),
    cobolt: await runWireSim(new CoboltSim(world, 'cobolt')),
  };
  const dir = tempDir('aquila-lasers-');
  configPath = path.join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      name: 'lasers on ptys',
      devices: [
        { id: 'obis', kind: 'laser', driver: 'obis', options: { port: sims.obis.devicePath } },
        {
          id: 'cobolt',
          kind: 'laser',
          driver: 'cobolt',
          options: { port: sims.cobolt.devicePath },
        },
      ],
      limits: { xUm: { min: -1, max: 1 }, yUm: { min: -1, max: 1 }, zUm: { min: -1, max: 1 } },
      storage: { datasetsRoot: path.join(dir, 'data') },
    }),
  );
});

afterEach(async () => {
  await sims.obis.stop();
  await sims.cobolt.stop();
});

/** ms from `t0` (performance.now of this process) to the first emission-off each simulator received. */
function offDelays(t0: number): Record<'obis' | 'cobolt', number | null> {
  const delay = (name: 'obis' | 'cobolt') => {
    const hit = sims[name].sim.received.find((r) => r.atMs >= t0 && OFF[name].test(r.line.trim()));
    return hit ? hit.atMs - t0 : null;
  };
  return { obis: delay('obis'), cobolt: delay('cobolt') };
}

function expectPrompt(d: Record<string, number | null>): void {
  for (const [name, ms] of Object.entries(d)) {
    expect(ms, `${name} emission-off`).not.toBeNull();
    expect(ms!, `${name} emission-off delay (ms)`).toBeLessThanOrEqual(LIMIT_MS);
  }
}

describe('laser shut-off at the wire', () => {
  it('e-stop: every laser simulator receives emission-off within 200 ms', async () => {
    const host = await createHost(await loadConfig(configPath), { log: silentLogger });
    try {
      // Lines on by hand need auto-shutter off (issue #18).
      await host.shutter.setAuto(false, 'test');
      for (const id of ['obis', 'cobolt']) {
        expect(
          await host.call(
            'laser.setEmission',
            { laserId: id, on: true },
            { clientId: 't', transport: 'internal' },
          ),
        ).toMatchObject({ ok: true });
      }
      const t0 = performance.now();
      const r = await host.call('estop', {}, { clientId: 't', transport: 'internal' });
      expect(r).toMatchObject({
        ok: true,
        value: { lasersOff: expect.arrayContaining(['obis', 'cobolt']) },
      });
      expectPrompt(offDelays(t0));
    } finally {
      await host.shutdown('test end');
    }
  });

  it.each(['signal', 'throw'] as const)(
    '%s: the host process switches every laser off within 200 ms before exiting',
    async (mode) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(repoRoot, 'test/fixtures/wire-laser-host.ts'),
          configPath,
          mode,
        ],
        {
          cwd: repoRoot,
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('ready\n')) resolve();
        });
        child.on('exit', () => reject(new Error(`host exited before ready:\n${out}`)));
      });
      const t0 = performance.now();
      if (mode === 'signal') child.kill('SIGTERM');
      else child.stdin.write('crash\n');
      const code = await exited;
      expect(code).toBe(mode === 'signal' ? 0 : 1);
      expectPrompt(offDelays(t0));
    },
    40_000,
  );
});
