/** Contract every Camera implementation passes. */
import { describe, expect, it } from 'vitest';
import type { Camera, RawFrame } from '../../../drivers/devices';
import { rejection, sleep, useDevice, waitUntil, withTimeout, type MakeDevice } from './fixture';

export interface CameraContractOptions {
  /** Exposure used by the suite, ms (short, so tests stay fast). */
  exposureMs?: number;
  /** A binning besides 1 that the camera supports (default 2). */
  binning?: number;
  /** Frames to collect in the live test. */
  liveFrames?: number;
  timeoutMs?: number;
}

export function cameraContract(
  name: string,
  make: MakeDevice<Camera>,
  options: CameraContractOptions = {},
): void {
  const exposureMs = options.exposureMs ?? 2;
  const binning = options.binning ?? 2;
  const liveFrames = options.liveFrames ?? 4;
  const timeoutMs = options.timeoutMs ?? 10_000;

  describe(`Camera contract: ${name}`, () => {
    const camera = useDevice(make);
    const connected = async () => {
      const c = camera();
      await withTimeout(c.connect(), timeoutMs, 'connect');
      await c.setExposureMs(exposureMs);
      return c;
    };
    const snap = (c: Camera) => withTimeout(c.snap(), timeoutMs, 'snap');

    it('connects with identity and a sane sensor description', async () => {
      const c = camera();
      const id = await withTimeout(c.connect(), timeoutMs, 'connect');
      expect(c.kind).toBe('camera');
      expect(id.model.length).toBeGreaterThan(0);
      const s = c.sensor;
      expect(Number.isInteger(s.widthPx) && s.widthPx > 0).toBe(true);
      expect(Number.isInteger(s.heightPx) && s.heightPx > 0).toBe(true);
      expect(s.pixelSizeUm).toBeGreaterThan(0);
      expect(s.bitDepth).toBeGreaterThanOrEqual(8);
      expect(s.bitDepth).toBeLessThanOrEqual(16);
    });

    it('round-trips exposure and refuses a non-positive one', async () => {
      const c = await connected();
      expect(await c.getExposureMs()).toBeCloseTo(exposureMs, 3);
      const err = await rejection(c.setExposureMs(-1));
      expect(['E_LIMIT', 'E_INVALID']).toContain(err.code);
      expect(await c.getExposureMs()).toBeCloseTo(exposureMs, 3);
    });

    it('snaps a full-sensor 16-bit frame stamped at the end of exposure, seq counting up', async () => {
      const c = await connected();
      const before = Date.now();
      const a = await snap(c);
      const after = Date.now();
      const b = await snap(c);
      expect(a.pixels).toBeInstanceOf(Uint16Array);
      expect([a.widthPx, a.heightPx]).toEqual([c.sensor.widthPx, c.sensor.heightPx]);
      expect(a.pixels).toHaveLength(a.widthPx * a.heightPx);
      expect(a.binning).toBe(1);
      expect(a.exposureMs).toBeCloseTo(exposureMs, 3);
      expect(a.timestampMs).toBeGreaterThanOrEqual(before);
      expect(a.timestampMs).toBeLessThanOrEqual(after);
      expect(b.seq).toBe(a.seq + 1);
    });

    it('sizes frames by binning and ROI, and refuses an ROI outside the sensor', async () => {
      const c = await connected();
      await c.setBinning(binning);
      expect(await c.getBinning()).toBe(binning);
      const w = Math.floor(c.sensor.widthPx / binning);
      const h = Math.floor(c.sensor.heightPx / binning);
      const binned = await snap(c);
      expect([binned.widthPx, binned.heightPx, binned.binning]).toEqual([w, h, binning]);
      const roi = { xPx: 1, yPx: 2, widthPx: Math.max(1, w >> 1), heightPx: Math.max(1, h >> 2) };
      await c.setRoi(roi);
      expect(await c.getRoi()).toEqual(roi);
      const cropped = await snap(c);
      expect([cropped.widthPx, cropped.heightPx]).toEqual([roi.widthPx, roi.heightPx]);
      expect(cropped.pixels).toHaveLength(roi.widthPx * roi.heightPx);
      const err = await rejection(c.setRoi({ xPx: w - 1, yPx: 0, widthPx: 2, heightPx: 1 }));
      expect(['E_LIMIT', 'E_INVALID']).toContain(err.code);
      expect(await c.getRoi()).toEqual(roi);
      await c.setRoi(null);
      expect((await snap(c)).widthPx).toBe(w);
    });

    it('streams live frames in order until stopLive, then none', async () => {
      const c = await connected();
      const frames: RawFrame[] = [];
      await c.startLive((f) => frames.push(f));
      expect(c.isLive()).toBe(true);
      await waitUntil(() => frames.length >= liveFrames, timeoutMs, `${liveFrames} live frames`);
      await withTimeout(c.stopLive(), timeoutMs, 'stopLive');
      expect(c.isLive()).toBe(false);
      for (let i = 1; i < frames.length; i++) {
        expect(frames[i]?.seq).toBeGreaterThan(frames[i - 1]?.seq ?? Infinity);
        expect(frames[i]?.timestampMs).toBeGreaterThanOrEqual(frames[i - 1]?.timestampMs ?? 0);
      }
      const n = frames.length;
      await sleep(Math.max(50, exposureMs * 3));
      expect(frames).toHaveLength(n);
      await c.stopLive(); // stopping twice is harmless
    });

    it('stops delivering frames when disconnected while live', async () => {
      const c = await connected();
      const frames: RawFrame[] = [];
      await c.startLive((f) => frames.push(f));
      await waitUntil(() => frames.length >= 1, timeoutMs, 'a live frame');
      await withTimeout(c.disconnect(), timeoutMs, 'disconnect');
      const n = frames.length;
      await sleep(Math.max(50, exposureMs * 3));
      expect(frames).toHaveLength(n);
      expect(c.isLive()).toBe(false);
    });
  });
}
