/**
 * Issue #18 §8: the viewer reads the saved planes back, exactly as the run acquired them, in
 * every storage format (OME-Zarr 0.4, sharded OME-Zarr 0.5, OME-TIFF).
 */
import { afterEach, expect, it } from 'vitest';
import { parseConfig } from '../../../electron/config/load';
import type { CallContext } from '../../../electron/host/command-handlers';
import { createHost, type Host } from '../../../electron/host/host';
import { smallSimConfig } from '../../support/host-fixture';
import { tempDir } from '../../support/temp-dir';

const ctx: CallContext = { clientId: 'plane-test', transport: 'internal' };
let host: Host;

async function start(storage: Record<string, unknown>) {
  const config = smallSimConfig({
    storage: { datasetsRoot: tempDir('aquila-plane-'), ...storage },
  });
  host = await createHost(
    { path: '/test/plane.json', config: parseConfig(JSON.stringify(config), 'test') },
    { log: { log: () => undefined }, dataDir: tempDir('aquila-plane-home-') },
  );
}
afterEach(async () => {
  await host.shutdown('test end');
});

it.each([
  { format: 'ome-zarr-0.4' },
  { format: 'ome-zarr-0.5', shardPlanes: 2 },
  { format: 'ome-tiff' },
])(
  '%o: returns the plane the run wrote at t, c, z; names its channel; refuses a bad index',
  async (storage) => {
    await start(storage);
    const plan = { channels: [{ config: 'GFP' }], z_plan: { range: 3, step: 1.5 } };
    expect((await host.call('run.start', { plan, name: 'viewed' }, ctx)).ok).toBe(true);
    await host.acquisition.whenIdle();
    const r = await host.call('dataset.readPlane', { dataset: 'viewed', t: 0, c: 0, z: 2 }, ctx);
    expect(r).toMatchObject({
      ok: true,
      value: {
        widthPx: 256,
        heightPx: 256,
        bitDepth: 16,
        channel: 'GFP',
        sizes: { p: 1, t: 1, c: 1, z: 3 },
        channels: ['GFP'],
        // The calibration the run recorded: the sensor's pixel (no binning) and the z step.
        pixelSizeUm: host.store.state.camera!.pixelSizeUm,
        zStepUm: 1.5,
      },
    });
    if (!r.ok) return;
    const v = r.value as { pixelsBase64: string };
    const buf = Buffer.from(v.pixelsBase64, 'base64');
    const pixels = new Uint16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
    expect(pixels).toHaveLength(256 * 256);
    // A lit plane of the sample (offset 100 ADU), and each z its own plane on disk.
    const mean = pixels.reduce((a, b) => a + b, 0) / pixels.length;
    expect(mean).toBeGreaterThan(100);
    const z0 = await host.call('dataset.readPlane', { dataset: 'viewed', t: 0, c: 0, z: 0 }, ctx);
    expect(z0.ok && (z0.value as { pixelsBase64: string }).pixelsBase64 !== v.pixelsBase64).toBe(
      true,
    );
    expect(
      await host.call('dataset.readPlane', { dataset: 'viewed', t: 0, c: 0, z: 3 }, ctx),
    ).toMatchObject({ ok: false, error: { code: 'E_INVALID', message: /z = 3 is outside 0..2/ } });
    expect(
      await host.call('dataset.readPlane', { dataset: '../etc', t: 0, c: 0, z: 0 }, ctx),
    ).toMatchObject({ ok: false, error: { code: 'E_INVALID' } });
  },
);
