/** A host configured with a simulated usb3-vision camera: snap and a run into OME-Zarr through the API, unplug and replug. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedU3vBus } from '../../../../drivers/cameras/u3v/sim/u3v-sim-bus';
import type { HostFrame } from '../../../../electron/host/frame-bus';
import { startTestHost, TestClient, type HostFixture } from '../../../support/host-fixture';
import { configWithCamera, runThreeFrames } from '../../../support/camera-host-config';
import { checkOmeZarrFrames } from '../../../support/ome-zarr-frames';
import { tempDir } from '../../../support/temp-dir';

describe('host with a usb3-vision camera (simulator)', () => {
  let fx: HostFixture;
  let client: TestClient;
  let root: string;
  const frames: HostFrame[] = [];

  beforeAll(async () => {
    root = tempDir('aquila-u3v-data-');
    fx = await startTestHost(
      configWithCamera(
        {
          driver: 'usb3-vision',
          options: { simulate: true, serial: 'SIM0001', reconnectMs: 100, transferSize: 65_536 },
        },
        root,
      ),
    );
    fx.host.bus.subscribe((f) => frames.push(f));
    client = await TestClient.connect(fx);
  });
  afterAll(async () => {
    client?.close();
    await fx?.close();
  });

  it('runs a plan into OME-Zarr that tensorstore reads back with the camera pixels', async () => {
    expect(await client.call('camera.snap')).toMatchObject({ ok: true });
    await client.until(() => frames.length >= 1, 10_000, 'the snapped frame');
    expect(fx.host.store.state.camera).toMatchObject({ widthPx: 640, heightPx: 480, bitDepth: 16 });
    await runThreeFrames(fx, client, 'u3v');
    // the simulator's pattern at binning 1, no offset: (37·x + 101·y + 7·block id) mod 65536
    const back = checkOmeZarrFrames(path.join(root, 'u3v'), '(f00 + 37 * xx + 101 * yy) % 65536');
    expect(back.sizes).toMatchObject({ t: 3, c: 1, z: 1, y: 480, x: 640 });
    expect(back.read).toEqual({ shape: [3, 1, 1, 480, 640], dtype: 'uint16', bad: 0 });
  }, 60_000);

  it('stays up when the camera is unplugged (typed errors, other devices answer) and reconnects by itself when replugged', async () => {
    const port = simulatedU3vBus().ports[0]!;
    port.unplug();
    const snap = await client.call('camera.snap');
    expect(snap.ok).toBe(false);
    if (!snap.ok) expect(snap.error.code).toBe('E_DISCONNECTED');
    expect(await client.call('laser.allOff')).toMatchObject({ ok: true });
    port.replug();
    const end = Date.now() + 10_000;
    let again = await client.call('camera.snap');
    while (!again.ok && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      again = await client.call('camera.snap');
    }
    expect(again).toMatchObject({ ok: true });
  }, 30_000);
});
