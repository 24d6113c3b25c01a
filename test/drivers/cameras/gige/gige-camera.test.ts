/** The gige-vision Camera driver against Aravis's fake GigE Vision camera. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceEvent, RawFrame } from '../../../../drivers/devices';
import { discoverGige } from '../../../../drivers/cameras/gige/discovery';
import { GigeCamera } from '../../../../drivers/cameras/gige/gige-camera';
import { createDevice } from '../../../../drivers/registry';
import {
  ARAVIS_FAKE_START_TIMEOUT_MS,
  aravisFakeAvailable,
  startAravisFake,
  type AravisFake,
} from '../../../support/aravis-fake';
import { until } from '../../../support/wait';
import { cameraContract } from '../../contract/camera.contract';

const logs: string[] = [];
const ctx = { log: (_level: string, message: string) => void logs.push(message) };
const options = { address: '127.0.0.1', packetSize: 8000 };

/** The fake's Mono16 test image at gain 0 and 10 ms exposure: (256 × (x + y + frame id)) mod 65535. */
function expectFakeRamp(f: RawFrame): void {
  const base = f.pixels[0]!;
  let wrong = 0;
  for (let y = 0; y < f.heightPx; y++)
    for (let x = 0; x < f.widthPx; x++)
      if (f.pixels[y * f.widthPx + x] !== (base + 256 * (x + y)) % 65535) wrong++;
  expect(wrong).toBe(0);
}

describe.skipIf(!aravisFakeAvailable())('gige-vision camera against arv-fake-gv-camera', () => {
  let fake: AravisFake;
  beforeAll(async () => {
    fake = await startAravisFake({ sensorPx: { width: 1024, height: 768 } });
  }, ARAVIS_FAKE_START_TIMEOUT_MS);
  afterAll(async () => {
    await fake?.stop();
  });

  cameraContract(
    'gige-vision (Aravis fake camera)',
    async () => ({ device: new GigeCamera('gige', options, ctx), cleanup: async () => undefined }),
    { exposureMs: 2, binning: 2, liveFrames: 3, timeoutMs: 15_000 },
  );

  it('is created from config by the registry and refuses bad options', () => {
    expect(
      createDevice(
        { id: 'c', kind: 'camera', driver: 'gige-vision', options },
        {
          ...ctx,
          simWorld: () => {
            throw new Error('unused');
          },
        },
      ),
    ).toBeInstanceOf(GigeCamera);
    expect(() => new GigeCamera('c', { address: 'camera.local' }, ctx)).toThrow(
      /device "c" options: address: expected an IPv4 address/,
    );
    expect(() => new GigeCamera('c', { ...options, packetSize: 100 }, ctx)).toThrow(/packetSize/);
  });

  it('delivers Mono16 frames of the ROI size with the camera pixels, into the caller buffer', async () => {
    const cam = new GigeCamera('gige', options, ctx);
    await cam.connect();
    try {
      expect(await cam.getFeature('PixelFormat')).toBe('Mono16');
      expect(cam.sensor).toMatchObject({ widthPx: 1024, heightPx: 768, bitDepth: 16 });
      await cam.setFeature('GainRaw', 0);
      await cam.setExposureMs(10);
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 100, heightPx: 60 });
      const into = new ArrayBuffer(100 * 60 * 2);
      const f = await cam.snap(into);
      expect([f.widthPx, f.heightPx, f.pixels.length]).toEqual([100, 60, 6000]);
      expect(f.pixels.buffer).toBe(into);
      expectFakeRamp(f);
      // in this mode the fake sends a frame only when TriggerSoftware is executed
      expect(await cam.getFeature('TriggerMode')).toBe('On');
      expect(await cam.getFeature('TriggerSource')).toBe('Software');
      expect(cam.incompleteFrames).toBe(0);
    } finally {
      await cam.disconnect();
    }
  });

  it('expands Mono8 into 16-bit frames', async () => {
    const cam = new GigeCamera('gige8', { ...options, pixelFormat: 'Mono8' }, ctx);
    await cam.connect();
    try {
      expect(cam.sensor.bitDepth).toBe(8);
      await cam.setFeature('GainRaw', 0);
      await cam.setExposureMs(10);
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 64, heightPx: 8 });
      const f = await cam.snap();
      const base = f.pixels[0]!;
      expect(f.pixels[1]).toBe((base + 1) % 255);
      expect(f.pixels[64]).toBe((base + 1) % 255);
      expect(Math.max(...f.pixels)).toBeLessThan(256);
    } finally {
      await cam.disconnect();
    }
  });

  it('keeps streaming when a live frame listener throws, and logs it', async () => {
    logs.length = 0;
    const cam = new GigeCamera('gige', options, ctx);
    await cam.connect();
    try {
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 32, heightPx: 8 });
      let calls = 0;
      await cam.startLive(() => {
        calls++;
        throw new Error('listener bug');
      });
      await until('three live frames', () => calls >= 3, 10_000);
      await cam.stopLive();
      expect(logs.some((l) => /live frame \d+ dropped: listener bug/.test(l))).toBe(true);
    } finally {
      await cam.disconnect();
    }
  });

  it('refuses an exposure outside the camera range with E_LIMIT', async () => {
    const cam = new GigeCamera('gige', options, ctx);
    await cam.connect();
    try {
      await expect(cam.setExposureMs(0.001)).rejects.toMatchObject({
        code: 'E_LIMIT',
        message: expect.stringMatching(/ExposureTimeAbs = 1 is out of range/),
      });
      await expect(cam.setFeature('Nope', 1)).rejects.toThrow(/unknown camera feature "Nope"/);
      expect(cam.listFeatures()).toContain('ExposureTimeAbs');
    } finally {
      await cam.disconnect();
    }
  });

  it('reports a camera killed mid-stream as a typed disconnect, and reconnects when it returns', async () => {
    const cam = new GigeCamera('gige', { ...options, timeoutMs: 200, retries: 1 }, ctx);
    const events: DeviceEvent[] = [];
    cam.subscribe((e) => events.push(e));
    await cam.connect();
    const frames: RawFrame[] = [];
    await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 64, heightPx: 64 });
    await cam.startLive((f) => frames.push(f));
    await until('live frames', () => frames.length >= 2, 10_000);
    await fake.kill();
    await until(
      'disconnect event',
      () => events.some((e) => e.type === 'connection' && e.state === 'disconnected'),
      10_000,
    );
    const ev = events.find((e) => e.type === 'connection' && e.state === 'disconnected');
    expect(ev).toMatchObject({ error: { code: 'E_DISCONNECTED' } });
    expect(cam.isLive()).toBe(false);
    await expect(cam.snap()).rejects.toMatchObject({ code: 'E_DISCONNECTED' });
    await fake.restart();
    const id = await cam.connect();
    expect(id.model).toBe('Fake');
    await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 32, heightPx: 16 });
    expect((await cam.snap()).pixels).toHaveLength(32 * 16);
    await cam.disconnect();
  }, 40_000);
  it('selects the camera by serial or MAC through discovery, and names what it found otherwise', async () => {
    const [found] = await discoverGige({ addresses: ['127.0.0.1'] });
    expect(found).toBeDefined();
    for (const select of [{ serial: found!.serial }, { mac: found!.mac.toUpperCase() }]) {
      const cam = new GigeCamera('by-id', { ...options, ...select }, ctx);
      expect((await cam.connect()).serial).toBe(found!.serial);
      await cam.disconnect();
    }
    const wrong = new GigeCamera('wrong', { ...options, serial: 'NOPE' }, ctx);
    await expect(wrong.connect()).rejects.toMatchObject({
      code: 'E_DISCONNECTED',
      message: expect.stringContaining(
        `no GigE camera with serial NOPE answered discovery at 127.0.0.1; found: ${found!.serial}`,
      ),
    });
    expect(() => new GigeCamera('c', { packetSize: 1500 }, ctx)).toThrow(
      /give address, serial or mac/,
    );
  });

  it('reconnects on its own when a killed camera returns, with exposure, binning and ROI, live not restarted', async () => {
    const cam = new GigeCamera(
      'auto',
      { ...options, timeoutMs: 200, retries: 1, reconnectMs: 200 },
      ctx,
    );
    const events: DeviceEvent[] = [];
    cam.subscribe((e) => events.push(e));
    const connectedCount = () =>
      events.filter((e) => e.type === 'connection' && e.state === 'connected').length;
    await cam.connect();
    try {
      await cam.setExposureMs(7);
      await cam.setBinning(2);
      await cam.setRoi({ xPx: 8, yPx: 4, widthPx: 64, heightPx: 32 });
      await cam.startLive(() => undefined);
      await fake.kill();
      await until(
        'disconnected event',
        () =>
          events.some((e) => e.type === 'connection' && e.state === 'disconnected' && !!e.error),
        10_000,
      );
      expect(cam.isLive()).toBe(false);
      await fake.restart();
      await until('reconnected without a command', () => connectedCount() >= 2, 20_000);
      expect(cam.isLive()).toBe(false);
      expect(await cam.getExposureMs()).toBeCloseTo(7, 3);
      expect(await cam.getFeature('BinningHorizontal')).toBe(2);
      expect([await cam.getFeature('Width'), await cam.getFeature('OffsetX')]).toEqual([64, 8]);
      const f = await cam.snap();
      expect([f.widthPx, f.heightPx, f.binning]).toEqual([64, 32, 2]);
    } finally {
      await cam.disconnect();
    }
  }, 60_000);
});

describe.skipIf(!aravisFakeAvailable())('gige-vision camera with packet loss', () => {
  let fake: AravisFake;
  beforeAll(async () => {
    fake = await startAravisFake({ lostPerThousand: 50 });
  }, ARAVIS_FAKE_START_TIMEOUT_MS);
  afterAll(async () => {
    await fake?.stop();
  });

  it('counts incomplete frames and never delivers them (the fake cannot resend)', async () => {
    logs.length = 0;
    const cam = new GigeCamera('lossy', { ...options, packetSize: 1500, frameTimeoutMs: 100 }, ctx);
    await cam.connect();
    try {
      await cam.setFeature('GainRaw', 0);
      await cam.setExposureMs(10);
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 512, heightPx: 64 }); // 45 packets a frame
      const frames: RawFrame[] = [];
      await cam.startLive((f) => frames.push(f));
      await until(
        'incomplete frames',
        () => cam.incompleteFrames >= 3 && frames.length >= 1,
        20_000,
      );
      await cam.stopLive();
      for (const f of frames) expectFakeRamp(f);
      const seqs = frames.map((f) => f.seq);
      expect(seqs[seqs.length - 1]! - seqs[0]! + 1).toBeGreaterThan(frames.length - 1); // incomplete ones leave gaps
      expect(logs.some((l) => /incomplete .*not delivered/.test(l))).toBe(true);
    } finally {
      await cam.disconnect();
    }
  }, 30_000);
});
