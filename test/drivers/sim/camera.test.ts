import { afterEach, describe, expect, it } from 'vitest';
import type { RawFrame } from '../../../drivers/devices';
import { SimCamera } from '../../../drivers/sim/camera';
import { readCounter } from '../../../drivers/sim/test-pattern';
import { SimWorld } from '../../../drivers/sim/world';
import { LimitError, StateError, ValidationError } from '../../../drivers/errors';
import { makeRig, type Rig } from './camera-rig';
import {
  autocorrelationHalfWidthPx,
  bestShift,
  gradientEnergy,
  mean,
  projection,
  signalAdu,
  std,
} from './image-stats';

const rigs: Rig[] = [];
async function rig(over: Parameters<typeof makeRig>[0] = {}): Promise<Rig> {
  const r = await makeRig(over);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

async function lightOn(r: Rig, powerMw: number): Promise<void> {
  await r.laser.setPowerMw(powerMw);
  await r.laser.setEmission(true);
}

describe('SimCamera imaging', () => {
  it('gives offset and read noise only with every laser off', async () => {
    const r = await rig({ camera: { readNoiseE: 4 } });
    r.parkOnCell(0);
    const f = await r.camera.snap();
    expect(f.pixels).toHaveLength(256 * 256);
    expect(Math.abs(mean(f.pixels) - 100)).toBeLessThan(0.5);
    expect(std(f.pixels)).toBeGreaterThan(3.5);
    expect(std(f.pixels)).toBeLessThan(4.5);
  });

  it('gives more signal for more laser power, in proportion', async () => {
    const r = await rig();
    r.parkOnCell(0);
    await lightOn(r, 5);
    const low = signalAdu((await r.camera.snap()).pixels, 100);
    await r.laser.setPowerMw(10);
    const high = signalAdu((await r.camera.snap()).pixels, 100);
    expect(low).toBeGreaterThan(10_000);
    expect(high / low).toBeGreaterThan(1.85);
    expect(high / low).toBeLessThan(2.15);
  });

  it('moves content toward −x when the stage moves +x, and toward −y for +y', async () => {
    const r = await rig();
    await lightOn(r, 10);
    const shift = async (dxUm: number, dyUm: number, axis: 0 | 1) => {
      r.parkOnCell(1);
      const a = projection((await r.camera.snap()).pixels, 256, 256, axis, 100);
      r.parkOnCell(1, 0, dxUm, dyUm);
      const b = projection((await r.camera.snap()).pixels, 256, 256, axis, 100);
      return bestShift(a, b, 40);
    };
    expect(await shift(4, 0, 0)).toBe(-20); // 4 µm = 20 px at 0.2 µm/px
    expect(await shift(0, 3, 1)).toBe(-15);
    expect(await shift(-2, 0, 0)).toBe(10);
  });

  it('blurs the image as focus leaves the focal surface', async () => {
    const r = await rig();
    await lightOn(r, 20);
    // Gradient energy falls with blur; at this power bleaching is negligible (< 1 %).
    const sharpness = async (dz: number) => {
      r.parkOnCell(2, dz);
      return gradientEnergy((await r.camera.snap()).pixels, 256);
    };
    const focused = await sharpness(0);
    const out3 = await sharpness(3);
    expect(out3).toBeLessThan(0.2 * focused);
    expect(await sharpness(-3)).toBeLessThan(0.2 * focused);
    expect(await sharpness(8)).toBeLessThan(out3);
  });

  it('widens spots with defocus (autocorrelation half-width)', async () => {
    const r = await rig({ camera: { readNoiseE: 0 } });
    await lightOn(r, 20);
    const width = async (dz: number) => {
      r.parkOnCell(2, dz);
      return autocorrelationHalfWidthPx((await r.camera.snap()).pixels, 256, 256, 20);
    };
    const focused = await width(0);
    expect(focused).toBeLessThanOrEqual(3);
    expect(await width(4)).toBeGreaterThanOrEqual(3 * focused);
  });

  it('bleaches with accumulated dose and does not recover in the dark', async () => {
    const r = await rig({ camera: { gainAduPerE: 0.001 }, laserMaxMw: 5_000 });
    r.parkOnCell(3);
    await r.camera.setExposureMs(50);
    await lightOn(r, 4_000); // 2·10⁵ mW·ms per frame: GFP-like mean bleach dose is 2.5·10⁵
    const signals: number[] = [];
    for (let i = 0; i < 5; i++) signals.push(signalAdu((await r.camera.snap()).pixels, 100));
    for (let i = 1; i < signals.length; i++) {
      expect(signals[i]).toBeLessThan(signals[i - 1] ?? 0);
    }
    expect(signals[4]).toBeLessThan(0.25 * (signals[0] ?? 0));
    await r.laser.setEmission(false);
    await r.camera.snap();
    await r.laser.setEmission(true);
    expect(signalAdu((await r.camera.snap()).pixels, 100)).toBeLessThan(signals[4] ?? 0);
  });

  it('is deterministic from the seed, whether rendered inline or in a worker', async () => {
    const snapWith = async (seed: number, renderWorkers: number) => {
      const r = await rig({ seed, camera: { renderWorkers } });
      r.parkOnCell(0);
      await lightOn(r, 10);
      return Buffer.from((await r.camera.snap()).pixels.buffer);
    };
    const inline = await snapWith(9, 0);
    expect((await snapWith(9, 0)).equals(inline)).toBe(true);
    expect((await snapWith(9, 1)).equals(inline)).toBe(true);
    expect((await snapWith(10, 0)).equals(inline)).toBe(false);
  });
});

describe('SimCamera frame buffers', () => {
  const bytes = 256 * 256 * 2;
  const stale = () => new Uint8Array(bytes).fill(0xab).buffer;
  const frameBytes = (f: RawFrame) =>
    Buffer.from(f.pixels.buffer, f.pixels.byteOffset, f.pixels.byteLength);

  for (const mode of ['sample', 'test-pattern'] as const)
    it(`fills a caller's buffer (${mode}), inline and in a render worker, with the pixels of a fresh frame`, async () => {
      const snapFirst = async (renderWorkers: number, into?: ArrayBuffer) => {
        const r = await rig({ seed: 9, camera: { renderWorkers, mode } });
        r.parkOnCell(0);
        await lightOn(r, 10);
        return r.camera.snap(into);
      };
      const fresh = frameBytes(await snapFirst(0));
      const inlineInto = stale();
      const inline = await snapFirst(0, inlineInto);
      expect(inline.pixels.buffer).toBe(inlineInto); // the caller's buffer, every stale byte overwritten
      expect(frameBytes(inline).equals(fresh)).toBe(true);
      const workerInto = stale();
      const viaWorker = await snapFirst(1, workerInto);
      expect(workerInto.byteLength).toBe(0); // transferred to the render thread and back
      expect(viaWorker.pixels.byteLength).toBe(bytes);
      expect(frameBytes(viaWorker).equals(fresh)).toBe(true);
    });

  it('ignores a buffer of the wrong size', async () => {
    const r = await rig({ camera: { renderWorkers: 0 } });
    const into = new ArrayBuffer(bytes / 2);
    const f = await r.camera.snap(into);
    expect(f.pixels.buffer).not.toBe(into);
    expect(f.pixels).toHaveLength(256 * 256);
  });
});

describe('SimCamera settings', () => {
  it('sizes frames by binning and ROI (ROI in binned pixels)', async () => {
    const { camera } = await rig();
    await camera.setBinning(2);
    let f = await camera.snap();
    expect([f.widthPx, f.heightPx, f.pixels.length, f.binning]).toEqual([128, 128, 128 * 128, 2]);
    await camera.setRoi({ xPx: 10, yPx: 20, widthPx: 50, heightPx: 40 });
    f = await camera.snap();
    expect([f.widthPx, f.heightPx, f.pixels.length]).toEqual([50, 40, 2000]);
    await expect(camera.setRoi({ xPx: 100, yPx: 0, widthPx: 50, heightPx: 10 })).rejects.toThrow(
      LimitError,
    );
    await camera.setBinning(4);
    expect(await camera.getRoi()).toBeNull();
    f = await camera.snap();
    expect([f.widthPx, f.heightPx]).toEqual([64, 64]);
  });

  it('refuses bad exposure, binning and ROI with errors that say what was wrong', async () => {
    const { camera } = await rig();
    await expect(camera.setExposureMs(0)).rejects.toThrow(LimitError);
    await expect(camera.setExposureMs(Number.NaN)).rejects.toThrow(ValidationError);
    await expect(camera.setBinning(3)).rejects.toThrow(/binning 3 is not supported/);
    await expect(camera.setRoi({ xPx: 0.5, yPx: 0, widthPx: 8, heightPx: 8 })).rejects.toThrow(
      /roi\.xPx must be an integer/,
    );
    await camera.setExposureMs(12.5);
    expect(await camera.getExposureMs()).toBe(12.5);
  });

  it('rejects bad options naming every bad field', () => {
    const world = new SimWorld({ seed: 1, cellCount: 1, slideHalfWidthUm: 10 });
    const make = () => new SimCamera('cam', world, { widthPx: -4, mode: 'fast', shutter: 1 });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(/device "cam" options: .*widthPx.*mode.*shutter|shutter.*widthPx/s);
  });
});

describe('SimCamera acquisition', () => {
  it('streams frames at exposure + readout with increasing seq until stopLive', async () => {
    const r = await rig({ camera: { readoutMs: 5 } });
    await r.camera.setExposureMs(5);
    const frames: RawFrame[] = [];
    await r.camera.startLive((f) => frames.push(f));
    expect(r.camera.isLive()).toBe(true);
    await expect(r.camera.snap()).rejects.toThrow(StateError);
    const deadline = Date.now() + 5_000;
    while (frames.length < 6 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 10));
    await r.camera.stopLive();
    expect(r.camera.isLive()).toBe(false);
    const n = frames.length;
    expect(n).toBeGreaterThanOrEqual(6);
    frames.forEach((f, i) => expect(f.seq).toBe(i));
    const last = frames[n - 1];
    const first = frames[0];
    if (!first || !last) throw new Error('no frames');
    expect((last.timestampMs - first.timestampMs) / (n - 1)).toBeGreaterThanOrEqual(9);
    await new Promise((res) => setTimeout(res, 30));
    expect(frames).toHaveLength(n);
  });

  it('streams through render workers and leaves none running after disconnect', async () => {
    const r = await rig({ camera: { renderWorkers: 2, widthPx: 128, heightPx: 128 } });
    await r.camera.setExposureMs(1);
    const frames: RawFrame[] = [];
    await r.camera.startLive((f) => frames.push(f));
    const deadline = Date.now() + 10_000;
    while (frames.length < 6 && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 20));
    expect(r.camera.renderThreads).toBeGreaterThanOrEqual(1);
    await r.camera.disconnect();
    expect(r.camera.renderThreads).toBe(0);
    expect(frames.length).toBeGreaterThanOrEqual(6);
    frames.forEach((f, i) => expect(f.seq).toBe(i));
    expect(r.camera.isLive()).toBe(false);
  });

  it('stamps the frame counter into test-pattern frames', async () => {
    const r = await rig({ camera: { mode: 'test-pattern' } });
    const a = await r.camera.snap();
    const b = await r.camera.snap();
    expect([readCounter(a.pixels), readCounter(b.pixels)]).toEqual([a.seq, b.seq]);
    expect(b.seq).toBe(a.seq + 1);
    expect(Buffer.from(a.pixels.buffer).equals(Buffer.from(b.pixels.buffer))).toBe(false);
  });
});
