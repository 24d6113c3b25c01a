/** The focus lock through the host: clients get throttled state, the host keeps every sample. */
import { afterEach, expect, it, vi } from 'vitest';
import type { CommandResult, StatePatch } from '../../../electron/api/contract';
import { CTX, STILL } from '../../support/automation-rig';
import { smallSimConfig, startTestHost, type HostFixture } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';
import { until } from '../../support/wait';

let fx: HostFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

it('while locked, focus and lock patches stay ≤ 10 Hz; the trace keeps every sample; the last Z is delivered', async () => {
  const base = smallSimConfig({
    storage: { datasetsRoot: tempDir('aquila-lock-rate-') },
    // Focus drifting 3 µm/min: the lock corrects Z on most iterations.
    sim: { ...STILL, drift: { ...STILL.drift, zUmPerMin: 3 } },
  });
  fx = await startTestHost({
    ...base,
    devices: [...base.devices, { id: 'pfs', kind: 'focus-sensor', driver: 'sim', options: {} }],
  });
  const h = fx.host;
  const limits = vi.spyOn(h.devices, 'limitRefreshRate');
  expect((await h.call('focusLock.calibrate', {}, CTX)).ok).toBe(true);
  expect((await h.call('focusLock.lock', {}, CTX)).ok).toBe(true);
  const tStart = Date.now();
  const count = { focus: 0, focusLock: 0 };
  const unsubscribe = h.store.subscribe((_rev, patches: StatePatch[]) => {
    if (patches.some((p) => p.path[0] === 'focus')) count.focus++;
    if (patches.some((p) => p.path[0] === 'focusLock')) count.focusLock++;
  });
  const windowMs = 3_000;
  await new Promise((r) => setTimeout(r, windowMs));
  unsubscribe();
  const elapsedS = (Date.now() - tStart) / 1000;
  const trace = await h.call('focusLock.trace', { afterMs: tStart }, CTX);
  expect(trace.ok).toBe(true);
  const { samples } = (trace as { value: CommandResult<'focusLock.trace'> }).value;
  // The loop runs at ~50/s (fewer on a loaded machine); clients see ≤ 10 Hz of each.
  expect(samples.length).toBeGreaterThan(elapsedS * 15);
  expect(samples.every((s) => s.tMs > tStart && s.errorUm !== null)).toBe(true);
  expect(count.focus).toBeGreaterThan(0);
  expect(count.focus).toBeLessThanOrEqual(elapsedS * 5 + 2);
  expect(count.focusLock).toBeLessThanOrEqual(elapsedS * 4 + 2);
  expect(h.store.state.focusLock?.rmsErrorUm).toBeLessThan(0.1);

  expect((await h.call('focusLock.unlock', {}, CTX)).ok).toBe(true);
  const zNow = await h.devices.focus!.getPositionUm();
  await until('the last Z readout', () => h.store.state.focus!.zUm === zNow, 1_000);
  expect(h.store.state.focusLock).toMatchObject({ state: 'off', rmsErrorUm: null });
  // The Z readout was limited while the lock held Z, and not after (no throttle left behind).
  expect(limits.mock.calls).toEqual([
    [h.devices.focus!.id, 200],
    [h.devices.focus!.id, null],
  ]);
}, 30_000);
