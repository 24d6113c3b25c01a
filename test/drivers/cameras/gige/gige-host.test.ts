/** A host configured with a gige-vision camera (Aravis's fake): snap and live through the API, and a camera that dies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostFrame } from '../../../../electron/host/frame-bus';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../../support/host-fixture';
import {
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../../support/aravis-fake';

describe.skipIf(!aravisFakeAvailable())('host with a gige-vision camera', () => {
  let fake: AravisFake;
  let fx: HostFixture;
  let client: TestClient;
  const frames: HostFrame[] = [];

  beforeAll(async () => {
    fake = await startAravisFake({ sensorPx: { width: 256, height: 192 } });
    const base = smallSimConfig();
    const devices = (base.devices as { kind: string }[]).filter((d) => d.kind !== 'camera');
    fx = await startTestHost({
      ...base,
      devices: [
        ...devices,
        {
          id: 'camera',
          kind: 'camera',
          driver: 'gige-vision',
          options: { address: '127.0.0.1', packetSize: 8000, timeoutMs: 200, retries: 1 },
        },
      ],
    });
    fx.host.bus.subscribe((f) => frames.push(f));
    client = await TestClient.connect(fx);
  });
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

  it('stays up when the camera dies: camera calls fail typed, other devices still answer', async () => {
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
  }, 30_000);
});
