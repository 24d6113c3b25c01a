/**
 * camera.listFeatures / getFeature / setFeature on a host: a gige-vision camera (Aravis's
 * fake) through the real WebSocket transport, with the control lease and observers; a
 * usb3-vision camera (its simulator); and the simulated camera, which has no named features.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureView } from '../../../electron/api/contract';
import { UserStore } from '../../../electron/remote/users';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../support/aravis-fake';
import {
  smallSimConfig,
  startTestHost,
  TestClient,
  type HostFixture,
} from '../../support/host-fixture';
import { configWithCamera } from '../../support/camera-host-config';
import { tempDir } from '../../support/temp-dir';

describe('camera features on the simulated camera', () => {
  let fx: HostFixture;
  let client: TestClient;
  beforeAll(async () => {
    fx = await startTestHost(smallSimConfig({ storage: { datasetsRoot: tempDir('aquila-f-') } }));
    client = await TestClient.connect(fx);
  });
  afterAll(async () => {
    client?.close();
    await fx?.close();
  });

  it('answers every feature command with E_UNSUPPORTED naming the camera', async () => {
    for (const [name, args] of [
      ['camera.listFeatures', {}],
      ['camera.getFeature', { name: 'Gain' }],
      ['camera.setFeature', { name: 'Gain', value: 1 }],
    ] as const)
      expect(await client.call(name, args)).toMatchObject({
        ok: false,
        error: {
          code: 'E_UNSUPPORTED',
          message: expect.stringMatching(/Camera camera has no named features/),
        },
      });
  });
});

describe.skipIf(!aravisFakeAvailable())('camera features on a gige-vision camera', () => {
  let fake: AravisFake;
  let fx: HostFixture;
  let client: TestClient;
  let observer: TestClient;

  beforeAll(async () => {
    fake = await startAravisFake({ sensorPx: { width: 256, height: 192 } });
    fx = await startTestHost(
      configWithCamera(
        { driver: 'gige-vision', options: { address: '127.0.0.1', timeoutMs: 200, retries: 1 } },
        tempDir('aquila-f-'),
      ),
    );
    client = await TestClient.connect(fx);
    const bob = new UserStore(fx.dataDir).add('bob', 'observer');
    observer = await TestClient.connect(fx, { authorization: `Bearer ${bob}` });
  }, ARAVIS_FAKE_START_TIMEOUT_MS);
  afterAll(async () => {
    client?.close();
    observer?.close();
    await fx?.close();
    await fake?.stop();
  });

  const result = <T>(r: { ok: boolean }) => (r as unknown as { value: T }).value;

  it('lists every feature with type, access, range or entries and the current value', async () => {
    const r = await client.call('camera.listFeatures');
    expect(r.ok).toBe(true);
    const { cameraId, features } = result<{ cameraId: string; features: FeatureView[] }>(r);
    expect(cameraId).toBe('camera');
    const by = new Map(features.map((f) => [f.name, f]));
    expect(by.get('DeviceModelName')).toMatchObject({
      type: 'StringReg',
      access: 'RO',
      value: 'Fake',
    });
    expect(by.get('Width')).toMatchObject({
      type: 'Integer',
      access: 'RW',
      value: 256,
      managedBy: 'camera.setRoi',
    });
    expect(by.get('PixelFormat')).toMatchObject({
      type: 'Enumeration',
      value: 'Mono16',
      entries: expect.arrayContaining(['Mono8', 'Mono16']),
    });
    expect(by.get('ExposureTimeAbs')).toMatchObject({ type: 'Float', min: 10, max: 10_000_000 });
    expect(by.get('AcquisitionStart')).toMatchObject({ type: 'Command' });
    expect(by.get('AcquisitionStart')!.value).toBeUndefined();
  });

  it('writes a feature and answers it read back; refuses bad values naming the feature', async () => {
    const set = await client.call('camera.setFeature', { name: 'GainRaw', value: 3 });
    expect(set).toMatchObject({ ok: true, value: { name: 'GainRaw', value: 3 } });
    expect(await client.call('camera.getFeature', { name: 'GainRaw' })).toMatchObject({
      ok: true,
      value: { value: 3 },
    });
    expect(
      await client.call('camera.setFeature', { name: 'GainRaw', value: 'high' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'E_INVALID', message: expect.stringMatching(/GainRaw takes a number/) },
    });
    expect(await client.call('camera.setFeature', { name: 'Nope', value: 1 })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Nope/) },
    });
  });

  it('refuses a read-only feature by name, and the Camera interface features pointing to their command', async () => {
    expect(
      await client.call('camera.setFeature', { name: 'DeviceModelName', value: 'X' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'E_STATE',
        message: expect.stringMatching(/DeviceModelName is not writable now \(access RO\)/),
      },
    });
    expect(
      await client.call('camera.setFeature', { name: 'ExposureTimeAbs', value: 5000 }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'E_STATE',
        message: expect.stringMatching(/ExposureTimeAbs is set through camera\.setExposure/),
      },
    });
    expect(await client.call('camera.setFeature', { name: 'Width', value: 64 })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/camera\.setRoi/) },
    });
    // nothing was written behind the camera state
    expect(fx.host.store.state.camera).toMatchObject({ widthPx: 256 });
  });

  it('lets an observer read features but not write them', async () => {
    expect(await observer.call('camera.getFeature', { name: 'GainRaw' })).toMatchObject({
      ok: true,
    });
    expect(await observer.call('camera.setFeature', { name: 'GainRaw', value: 1 })).toMatchObject({
      ok: false,
      error: { code: 'E_NOT_CONTROLLER' },
    });
  });
});

describe('camera features on a usb3-vision camera (simulator)', () => {
  let fx: HostFixture;
  let client: TestClient;
  beforeAll(async () => {
    fx = await startTestHost(
      configWithCamera(
        { driver: 'usb3-vision', options: { simulate: true, serial: 'SIM0001', reconnectMs: 0 } },
        tempDir('aquila-f-'),
      ),
    );
    client = await TestClient.connect(fx);
  });
  afterAll(async () => {
    client?.close();
    await fx?.close();
  });

  it('lists, reads and writes its features through the same commands', async () => {
    const r = await client.call('camera.listFeatures');
    expect(r.ok).toBe(true);
    const { features } = (r as unknown as { value: { features: FeatureView[] } }).value;
    const by = new Map(features.map((f) => [f.name, f]));
    expect(by.get('Gain')).toMatchObject({ type: 'Float', access: 'RW', min: 0, max: 24 });
    expect(by.get('DeviceTemperature')).toMatchObject({ value: 41.5 });
    expect(by.get('Width')).toMatchObject({ managedBy: 'camera.setRoi' });
    expect(await client.call('camera.setFeature', { name: 'Gain', value: 6.5 })).toMatchObject({
      ok: true,
      value: { name: 'Gain', value: 6.5 },
    });
    expect(await client.call('camera.setFeature', { name: 'Gain', value: 30 })).toMatchObject({
      ok: false,
      error: { code: 'E_LIMIT', message: expect.stringMatching(/Gain/) },
    });
  });
});
