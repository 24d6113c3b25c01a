/** The host's focus lock on simulated time (a dry run's FastClock): its period and samples are on that clock. */
import { afterEach, expect, it } from 'vitest';
import { FastClock, sleepOn } from '../../../drivers/sim/sim-clock';
import type { CommandResult } from '../../../electron/api/contract';
import type { Host } from '../../../electron/host/host';
import { CTX, STILL } from '../../support/automation-rig';
import { smallSimConfig } from '../../support/host-fixture';
import { macroHost } from '../../support/macro-host';
import { tempDir } from '../../support/temp-dir';

let host: Host | undefined;
afterEach(async () => {
  await host?.shutdown('test end');
  host = undefined;
});

it('a locked focus lock samples every period of simulated time, without waiting for it', async () => {
  const base = smallSimConfig({
    storage: { datasetsRoot: tempDir('aquila-lock-sim-') },
    sim: { ...STILL, drift: { ...STILL.drift, zUmPerMin: 3 } },
  });
  const clock = new FastClock();
  host = await macroHost(
    {
      ...base,
      devices: [...base.devices, { id: 'pfs', kind: 'focus-sensor', driver: 'sim', options: {} }],
    },
    { simTime: clock },
  );
  expect((await host.call('focusLock.calibrate', {}, CTX)).ok).toBe(true);
  expect((await host.call('focusLock.lock', {}, CTX)).ok).toBe(true);
  const fromMs = clock.epochMs();
  const wallFrom = performance.now();
  await sleepOn(clock, 20_000);
  const wallS = (performance.now() - wallFrom) / 1000;
  const trace = await host.call('focusLock.trace', { afterMs: fromMs }, CTX);
  expect((await host.call('focusLock.unlock', {}, CTX)).ok).toBe(true);
  const { samples } = (trace as { value: CommandResult<'focusLock.trace'> }).value;
  // 20 s at the default 20 ms period: 1000 samples, on the clock's epoch scale
  expect(samples.length).toBeGreaterThan(950);
  expect(samples.length).toBeLessThanOrEqual(1001);
  expect(samples.every((s) => s.tMs > fromMs && s.tMs <= clock.epochMs())).toBe(true);
  expect(samples.at(-1)!.tMs - samples[0]!.tMs).toBeGreaterThan(19_000);
  expect(wallS).toBeLessThan(15);
}, 60_000);
