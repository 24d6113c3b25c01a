/** The usb3-vision Camera driver against the USB3 Vision simulator (USB transfer level). */
import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../../../../drivers/devices';
import { U3vCamera } from '../../../../drivers/cameras/u3v/u3v-camera';
import { SimU3vBus, type SimU3vPort } from '../../../../drivers/cameras/u3v/sim/u3v-sim-bus';
import { simPixel } from '../../../../drivers/cameras/u3v/sim/u3v-sim-frame';
import { createDevice } from '../../../../drivers/registry';
import { until } from '../../../support/wait';
import { cameraContract } from '../../contract/camera.contract';

const logs: string[] = [];
const ctx = { log: (_level: string, message: string) => void logs.push(message) };

function rig(serial = 'U3V42') {
  const bus = new SimU3vBus();
  const port = bus.plug({ serial, sensor: { width: 320, height: 240 } });
  return { bus, port };
}

/** Pixels that differ from the simulator's pattern for this frame's block id. */
function wrongPixels(
  f: RawFrame,
  blockId: number,
  roi: { x: number; y: number },
  bits: number,
  binning = 1,
): number {
  let wrong = 0;
  const at = { blockId, offsetX: roi.x, offsetY: roi.y, binning };
  for (let y = 0; y < f.heightPx; y++)
    for (let x = 0; x < f.widthPx; x++)
      if (f.pixels[y * f.widthPx + x] !== simPixel(at, x, y, bits)) wrong++;
  return wrong;
}

/** The block id of a frame: the pattern at (0, 0) is 7·blockId + offset terms. */
const lastBlock = (port: SimU3vPort) => port.device.blockId - 1;

describe('usb3-vision camera against the simulator', () => {
  cameraContract(
    'usb3-vision (simulator)',
    async () => {
      const { bus } = rig();
      return { device: new U3vCamera('u3v', {}, ctx, bus), cleanup: async () => undefined };
    },
    { exposureMs: 2, binning: 2, liveFrames: 3, timeoutMs: 10_000 },
  );

  it('connects: identity from the ABRM, sensor and features from the zipped XML', async () => {
    const { bus } = rig();
    const cam = new U3vCamera('u3v', { serial: 'U3V42' }, ctx, bus);
    const id = await cam.connect();
    try {
      expect(id).toEqual({
        vendor: 'Aquila',
        model: 'U3V-Sim',
        serial: 'U3V42',
        firmware: '1.0.0',
      });
      expect(cam.sensor).toMatchObject({ widthPx: 320, heightPx: 240, bitDepth: 16 });
      expect(cam.listFeatures()).toEqual(
        expect.arrayContaining([
          'Width',
          'PixelFormat',
          'TriggerSelector',
          'DeviceTemperature',
          'Gain',
        ]),
      );
      expect(await cam.getFeature('DeviceTemperature')).toBe(41.5); // SwissKnife raw / 10
      await cam.setFeature('Gain', 6.5);
      expect(await cam.getFeature('Gain')).toBe(6.5);
      expect(await cam.describeFeature('Gain')).toMatchObject({
        type: 'Float',
        min: 0,
        max: 24,
        unit: 'dB',
      });
      // the selector indexes TriggerMode: each selected trigger keeps its own value
      await cam.setFeature('TriggerSelector', 'AcquisitionStart');
      await cam.setFeature('TriggerMode', 'On');
      await cam.setFeature('TriggerSelector', 'FrameStart');
      expect(await cam.getFeature('TriggerMode')).toBe('Off');
      await cam.setFeature('TriggerSelector', 'AcquisitionStart');
      expect(await cam.getFeature('TriggerMode')).toBe('On');
      await cam.setFeature('TriggerMode', 'Off');
      await expect(cam.setFeature('Gain', 30)).rejects.toMatchObject({ code: 'E_LIMIT' });
      await expect(cam.setFeature('SensorWidth', 1)).rejects.toMatchObject({ code: 'E_STATE' });
    } finally {
      await cam.disconnect();
    }
  });

  it('splits memory reads to the SBRM maximum ack transfer size', async () => {
    const commands: number[] = [];
    for (const maxTransfer of [1024, 64]) {
      const bus = new SimU3vBus();
      const port = bus.plug({ serial: 'S', maxTransfer });
      const cam = new U3vCamera('u3v', {}, ctx, bus);
      await cam.connect();
      commands.push(port.device.commands);
      expect(await cam.getFeature('DeviceTemperature')).toBe(41.5);
      await cam.disconnect();
    }
    // the zipped XML alone is a few kB: 52-byte chunks take many more reads than 1012-byte ones
    expect(commands[1]! - commands[0]!).toBeGreaterThan(20);
  });

  it('snaps Mono16 by software trigger with the exact pixels of the ROI, into the caller buffer', async () => {
    const { bus, port } = rig();
    const cam = new U3vCamera('u3v', { transferSize: 4096 }, ctx, bus);
    await cam.connect();
    try {
      await cam.setExposureMs(1);
      await cam.setRoi({ xPx: 10, yPx: 20, widthPx: 100, heightPx: 50 });
      const into = new ArrayBuffer(100 * 50 * 2);
      const f = await cam.snap(into);
      expect(f.pixels.buffer).toBe(into);
      expect([f.widthPx, f.heightPx]).toEqual([100, 50]);
      expect(wrongPixels(f, lastBlock(port), { x: 10, y: 20 }, 16)).toBe(0);
      expect(await cam.getFeature('TriggerMode')).toBe('On');
      expect(await cam.getFeature('TriggerSource')).toBe('Software');
      // 10 000 payload bytes in 4096-byte transfers: 2 full transfers, then the final one
      const sirm = 0x2000;
      expect([
        port.device.u32(sirm + 0x1c),
        port.device.u32(sirm + 0x20),
        port.device.u32(sirm + 0x24),
      ]).toEqual([4096, 2, 1808]);
      expect(cam.incompleteFrames).toBe(0);
    } finally {
      await cam.disconnect();
    }
  });

  it.each(['Mono12Packed', 'Mono12p'])(
    'unpacks %s into 16-bit frames with exact pixels, binned',
    async (pixelFormat) => {
      const { bus, port } = rig();
      const cam = new U3vCamera('u3v', { pixelFormat }, ctx, bus);
      await cam.connect();
      try {
        expect(cam.sensor.bitDepth).toBe(12);
        await cam.setBinning(2);
        await cam.setRoi({ xPx: 3, yPx: 5, widthPx: 33, heightPx: 7 }); // odd pixel count
        const f = await cam.snap();
        expect([f.widthPx, f.heightPx, f.binning]).toEqual([33, 7, 2]);
        expect(wrongPixels(f, lastBlock(port), { x: 3, y: 5 }, 12, 2)).toBe(0);
        expect(Math.max(...f.pixels)).toBeLessThan(4096);
      } finally {
        await cam.disconnect();
      }
    },
  );

  it('streams live frames with consecutive block ids', async () => {
    const { bus, port } = rig();
    const cam = new U3vCamera('u3v', {}, ctx, bus);
    await cam.connect();
    try {
      await cam.setExposureMs(2);
      await cam.setRoi({ xPx: 0, yPx: 0, widthPx: 64, heightPx: 16 });
      const frames: RawFrame[] = [];
      await cam.startLive((f) => frames.push(f));
      await until('live frames', () => frames.length >= 5, 10_000);
      await cam.stopLive();
      const first = frames[0]!.pixels[0]! / 7;
      frames
        .slice(0, 5)
        .forEach((f, i) => expect(wrongPixels(f, first + i, { x: 0, y: 0 }, 16)).toBe(0));
      expect(port.device.u32(0x2004)).toBe(0); // stream disabled again
    } finally {
      await cam.disconnect();
    }
  });

  it('is created from config by the registry and refuses bad options', () => {
    const make = (options: Record<string, unknown>) =>
      createDevice(
        { id: 'c', kind: 'camera', driver: 'usb3-vision', options },
        {
          ...ctx,
          simWorld: () => {
            throw new Error('unused');
          },
        },
      );
    expect(make({ simulate: true })).toBeInstanceOf(U3vCamera);
    expect(() => make({ vendorId: 70000 })).toThrow(/device "c" options: vendorId/);
    expect(() => make({ transferSize: 10 })).toThrow(/transferSize/);
    expect(() => make({ serial: 'A', extra: 1 })).toThrow(/extra/);
  });
});
