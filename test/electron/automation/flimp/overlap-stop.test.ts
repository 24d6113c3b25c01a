/**
 * Pause, cancel and e-stop of a FLImP run on the simulated microscope with its camera in
 * overlap (streaming) mode: frames stop at once however many the camera holds, lasers off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { basePlan, colony, CTX, STILL, truthOf } from '../../../support/automation-rig';
import { smallSimConfig, startTestHost, type HostFixture } from '../../../support/host-fixture';
import { tempDir } from '../../../support/temp-dir';
import { until } from '../../../support/wait';

let fx: HostFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** A host whose camera streams, running a FLImP plan around a colony; counts delivered snaps. */
async function running(name: string) {
  const base = smallSimConfig({
    storage: { datasetsRoot: tempDir('aquila-overlap-') },
    sim: STILL,
  });
  const config = {
    ...base,
    devices: base.devices.map((d) =>
      d.kind === 'camera' ? { ...d, options: { ...d.options, readoutMs: 10, overlap: true } } : d,
    ),
  };
  fx = await startTestHost(config);
  const h = fx.host;
  const { c } = colony(truthOf(config));
  const camera = h.devices.camera!;
  const snap = camera.snap.bind(camera);
  const counted = { snaps: 0 };
  camera.snap = async (into) => {
    const f = await snap(into);
    counted.snaps++;
    return f;
  };
  const plan = {
    ...basePlan,
    scan: { ...basePlan.scan, centreUm: { xUm: c.xUm, yUm: c.yUm } },
    roi: { ...basePlan.roi, stopFraction: 0, maxFrames: 1000 },
  };
  expect((await h.call('automation.start', { plan, name }, CTX)).ok).toBe(true);
  await until(
    'an ROI being imaged',
    () => (h.store.state.automation?.rois.find((r) => r.state === 'imaging')?.frames ?? 0) > 2,
    20_000,
  );
  return { h, counted };
}

async function lasersOff(h: HostFixture['host']): Promise<void> {
  for (const l of h.devices.lasers.values()) expect(await l.getEmission()).toBe(false);
}

describe('FLImP run, camera in overlap mode', () => {
  it('pauses at the next frame with lasers off and takes no frame while paused; cancels', async () => {
    const { h, counted } = await running('paused');
    expect(await h.call('automation.pause', {}, CTX)).toMatchObject({ ok: true });
    await until('paused', () => h.store.state.automation?.phase === 'paused', 5_000);
    await lasersOff(h);
    const atPause = counted.snaps;
    expect(atPause).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 400)); // longer than the camera's frame buffer
    expect(counted.snaps).toBe(atPause);
    expect(await h.call('automation.cancel', {}, CTX)).toMatchObject({ ok: true });
    await h.automation.whenIdle();
    expect(h.store.state.automation!.phase).toBe('cancelled');
    expect(counted.snaps).toBe(atPause);
    await lasersOff(h);
  });

  it('e-stop ends the run at once: at most the frame in flight, every laser off', async () => {
    const { h, counted } = await running('stopped');
    const atStop = counted.snaps;
    expect(atStop).toBeGreaterThan(2);
    expect(await h.call('estop', {}, CTX)).toMatchObject({ ok: true });
    await h.automation.whenIdle();
    const v = h.store.state.automation!;
    expect(v.phase).toBe('failed');
    expect(v.failure?.message).toMatch(/e-stop|Emergency stop/i);
    expect(counted.snaps - atStop).toBeLessThanOrEqual(1);
    await lasersOff(h);
  });
});
