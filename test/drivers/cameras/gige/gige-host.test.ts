/** A host configured with a gige-vision camera (Aravis's fake): snap, live and a run through the API, and a camera that dies. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostFrame } from '../../../../electron/host/frame-bus';
import { startTestHost, TestClient, type HostFixture } from '../../../support/host-fixture';
import {
  configWithCamera,
  runThreeFrames,
  THREE_FRAME_PLAN,
} from '../../../support/camera-host-config';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../../support/aravis-fake';
import { checkOmeZarrFrames } from '../../../support/ome-zarr-frames';
import { tempDir } from '../../../support/temp-dir';

describe.skipIf(!aravisFakeAvailable())('host with a gige-vision camera', () => {
  let fake: AravisFake;
  let fx: HostFixture;
  let client: TestClient;
  let root: string;
  const frames: HostFrame[] = [];

  beforeAll(async () => {
    fake = await startAravisFake({ sensorPx: { width: 256, height: 192 } });
    root = tempDir('aquila-gige-data-');
    fx = await startTestHost(
      configWithCamera(
        {
          driver: 'gige-vision',
          options: { address: '127.0.0.1', packetSize: 8000, timeoutMs: 200, retries: 1 },
        },
        root,
      ),
    );
    fx.host.bus.subscribe((f) => frames.push(f));
    client = await TestClient.connect(fx);
  }, ARAVIS_FAKE_START_TIMEOUT_MS);
  afterAll(async () => {
    client?.close();
    await fx?.close();
    await fake?.stop();
  });

  it('snaps and streams live frames through the host API', async () => {
    const snap = await client.call('camera.snap');
    expect(snap).toMatchObject({ ok: true });
    await client.until(() => frames.length >= 1, 10_000, 'the snapped frame');
    expect([frames[0]!.meta.widthPx, frames[0]!.meta.heightPx]).toEqual([256, 192]);
    expect(frames[0]!.pixels).toHaveLength(256 * 192);
    // the sensor is known only after connect; the host state shows it
    expect(fx.host.store.state.camera).toMatchObject({ widthPx: 256, heightPx: 192, bitDepth: 16 });
    expect(await client.call('camera.startLive')).toMatchObject({ ok: true });
    const n = frames.length;
    await client.until(() => frames.length >= n + 3, 10_000, 'live frames');
    expect(await client.call('camera.stopLive')).toMatchObject({ ok: true });
  }, 30_000);

  it('runs a plan into OME-Zarr that tensorstore reads back with the camera pixels', async () => {
    expect(await client.call('plan.estimate', { plan: THREE_FRAME_PLAN })).toMatchObject({
      ok: true,
      value: { frames: 3, bytes: 3 * 256 * 192 * 2 },
    });
    await runThreeFrames(fx, client, 'gige');
    // the fake's ramp at gain 0 and 10 ms exposure: 256 × (x + y + frame id) mod 65535
    const back = checkOmeZarrFrames(path.join(root, 'gige'), '(f00 + 256 * (xx + yy)) % 65535');
    expect(back.sizes).toMatchObject({ t: 3, c: 1, z: 1, y: 192, x: 256 });
    expect(back.read).toEqual({ shape: [3, 1, 1, 192, 256], dtype: 'uint16', bad: 0 });
  }, 60_000);

  it('stays up when the camera dies (typed camera errors, other devices answer) and reconnects on request', async () => {
    await fake.kill();
    let snap = await client.call('camera.snap');
    const end = Date.now() + 15_000;
    while (snap.ok && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      snap = await client.call('camera.snap');
    }
    expect(snap.ok).toBe(false);
    if (!snap.ok) expect(['E_DISCONNECTED', 'E_TIMEOUT']).toContain(snap.error.code);
    expect(await client.call('laser.allOff')).toMatchObject({ ok: true });
    await fake.restart();
    expect(await client.call('device.reconnect', { deviceId: 'camera' })).toMatchObject({
      ok: true,
    });
    const n = frames.length;
    expect(await client.call('camera.snap')).toMatchObject({ ok: true });
    await client.until(() => frames.length > n, 10_000, 'a frame after the reconnect');
  }, 40_000);
});
