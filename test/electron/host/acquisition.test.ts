/** Acquisition through the API: plan → runner → writer thread → dataset folder, on the sim. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

let fx: HostFixture;
let client: TestClient;
let root: string;

const plan = {
  channels: [{ config: 'GFP', exposure: 5 }],
  z_plan: { range: 2, step: 1 },
  time_plan: { interval: 0, loops: 2 },
  axis_order: 'tpcz',
};

beforeEach(async () => {
  root = tempDir('aquila-data-');
  fx = await startTestHost(smallSimConfig({ storage: { datasetsRoot: root } }));
  client = await TestClient.connect(fx);
});

afterEach(async () => {
  client.close();
  await fx.close();
});

describe('acquisition via the API', () => {
  it('runs a plan into a closed OME-Zarr dataset, restores the hardware and ends with lasers off', async () => {
    await client.call('stage.moveTo', { xUm: 30, yUm: 40 });
    expect(await client.call('plan.estimate', { plan })).toMatchObject({
      ok: true,
      value: { events: 6, frames: 6, bytes: 6 * 256 * 256 * 2 },
    });
    const started = await client.call('run.start', { plan, name: 'zstack' });
    expect(started).toMatchObject({
      ok: true,
      value: { dir: path.join(root, 'zstack'), eventTotal: 6 },
    });
    await fx.host.acquisition.whenIdle();
    const run = fx.host.store.state.run!;
    expect(run).toMatchObject({
      name: 'zstack',
      state: 'finished',
      framesWritten: 6,
      framesDropped: 0,
      errors: [],
      failure: null,
    });
    expect(existsSync(path.join(root, 'zstack', 'manifest.sha256'))).toBe(true);
    const prov = JSON.parse(readFileSync(path.join(root, 'zstack', 'provenance.json'), 'utf8'));
    expect(prov.outcome).toBe('complete');
    expect(prov.layout.sizes).toMatchObject({ t: 2, c: 1, z: 3, y: 256, x: 256 });
    expect(prov.layout.physical.pixelSizeUm).toBe(0.2);
    expect(fx.host.store.state.datasets[0]).toMatchObject({
      name: 'zstack',
      outcome: 'complete',
      closed: true,
      framesWritten: 6,
      // Issue #18 §8: what the Data tab shows.
      format: 'ome-zarr-0.4',
      sizes: { t: 2, c: 1, z: 3, y: 256, x: 256 },
      framesExpected: 6,
      reason: null,
    });
    // At least the pixels, plus metadata files.
    expect(fx.host.store.state.datasets[0]!.bytes).toBeGreaterThan(6 * 256 * 256 * 2);
    expect(Object.values(fx.host.store.state.lasers).every((l) => !l.emission)).toBe(true);
    expect(fx.host.store.state.stage).toMatchObject({ xUm: 30, yUm: 40 });
  });

  it('refuses a second run, bad plans and a latched e-stop with clear errors', async () => {
    expect(
      await client.call('run.start', { plan: { channels: [{ config: 'Nope' }] } }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'E_INVALID',
        message: expect.stringMatching(/channels\[0\]\.config: "Nope" is not a channel preset/),
      },
    });
    expect(await client.call('run.start', { plan: { z_plan: { range: 'x' } } })).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID' },
    });
    const long = {
      channels: [{ config: 'GFP', exposure: 5 }],
      time_plan: { interval: 0.2, loops: 50 },
    };
    expect(await client.call('run.start', { plan: long, name: 'long' })).toMatchObject({
      ok: true,
    });
    expect(await client.call('run.start', { plan, name: 'second' })).toMatchObject({
      ok: false,
      error: { code: 'E_STATE', message: expect.stringMatching(/already in progress/) },
    });
    expect(await client.call('run.pause')).toMatchObject({ ok: true });
    await client.until(() => fx.host.store.state.run?.state === 'paused', 10_000, 'paused');
    expect(await client.call('run.cancel')).toMatchObject({ ok: true });
    await fx.host.acquisition.whenIdle();
    expect(fx.host.store.state.run?.state).toBe('cancelled');
    const prov = JSON.parse(readFileSync(path.join(root, 'long', 'provenance.json'), 'utf8'));
    expect(prov.outcome).toBe('cancelled');
    await client.call('estop');
    expect(await client.call('run.start', { plan, name: 'after-estop' })).toMatchObject({
      ok: false,
      error: { code: 'E_STATE', message: expect.stringMatching(/E-stop/) },
    });
  });
});
