import { describe, expect, it } from 'vitest';
import { FrameRenderer, type RenderJob } from '../../../drivers/sim/render-frame';
import { mean, rmsRadiusPx, std } from './image-stats';

const noise = { offsetAdu: 100, readNoiseAdu: 2, gainAduPerE: 1, seed: 3 };

function job(emitters: number[], over: Partial<RenderJob> = {}): RenderJob {
  return {
    widthPx: 64,
    heightPx: 64,
    emitters: Float32Array.from(emitters),
    noise,
    frameSeed: 1,
    ...over,
  };
}

describe('FrameRenderer', () => {
  it('without emitters gives offset plus read noise only', () => {
    const px = new FrameRenderer().render(job([], { widthPx: 256, heightPx: 256 }));
    expect(px).toHaveLength(256 * 256);
    expect(mean(px)).toBeCloseTo(100, 0);
    expect(std(px)).toBeGreaterThan(1.7);
    expect(std(px)).toBeLessThan(2.3);
  });

  it('does not repeat read noise between frames at any one shift (registration sees no motion)', () => {
    const r = new FrameRenderer();
    const frame = (frameSeed: number) =>
      r.render(job([], { widthPx: 256, heightPx: 256, frameSeed }));
    const a = frame(1);
    const b = frame(2);
    // Identical runs of 8 pixels locate shared pool stretches; count them per shift.
    const key = (f: Uint16Array, i: number) => f.subarray(i, i + 8).join(',');
    const at = new Map<string, number[]>();
    for (let i = 0; i + 8 <= a.length; i++) at.set(key(a, i), [...(at.get(key(a, i)) ?? []), i]);
    const perShift = new Map<number, number>();
    for (let j = 0; j + 8 <= b.length; j++)
      for (const i of at.get(key(b, j)) ?? []) perShift.set(j - i, (perShift.get(j - i) ?? 0) + 1);
    expect(Math.max(...perShift.values())).toBeLessThan(0.01 * a.length);
  });

  it('conserves the flux of an emitter (electrons × gain)', () => {
    const px = new FrameRenderer().render(job([32, 32, 1.5, 50_000, 0]));
    let sum = 0;
    for (const v of px) sum += v - 100;
    // Poisson sd of the total is √50000 ≈ 224; read noise adds ~2·64 = 128.
    expect(sum).toBeGreaterThan(50_000 - 1_500);
    expect(sum).toBeLessThan(50_000 + 1_500);
  });

  it('draws wider spots for larger sigma, matching the requested sigma', () => {
    const r = new FrameRenderer();
    // No read noise here: clipped noise in the window would bias the moment upward.
    const quiet = { ...noise, readNoiseAdu: 0 };
    const width = (sigma: number) =>
      rmsRadiusPx(r.render(job([32, 32, sigma, 1e5, 0], { noise: quiet })), 64, 32, 32, 20, 100);
    const narrow = width(1);
    const wide = width(4);
    // RMS radius of a 2-D Gaussian is sigma·√2 (pixel integration adds 1/12 px² per axis).
    expect(narrow).toBeCloseTo(Math.sqrt(2 * (1 + 1 / 12)), 1);
    expect(wide).toBeCloseTo(Math.sqrt(2 * (16 + 1 / 12)), 0);
  });

  it('is deterministic for the same frame seed and differs between seeds', () => {
    const r = new FrameRenderer();
    const a = r.render(job([20, 30, 1, 5_000, 0]));
    const b = new FrameRenderer().render(job([20, 30, 1, 5_000, 0]));
    const c = r.render(job([20, 30, 1, 5_000, 0], { frameSeed: 2 }));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('gives the same pixels whatever the renderer drew before', () => {
    const used = new FrameRenderer();
    used.render(job([100, 100, 2, 1_000, 0], { widthPx: 1024, heightPx: 1024 }));
    const a = used.render(job([20, 30, 1, 5_000, 0]));
    const b = new FrameRenderer().render(job([20, 30, 1, 5_000, 0]));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('clamps bright pixels to 65535 and leaves the scratch buffer clean', () => {
    const r = new FrameRenderer();
    const hot = r.render(job([10, 10, 0.3, 1e7, 0]));
    expect(hot[10 * 64 + 10]).toBe(65535);
    const after = r.render(job([]));
    expect(Math.max(...after)).toBeLessThan(100 + 2 * 8);
  });

  it('splits boxes per cell so separate cells both get shot noise', () => {
    const px = new FrameRenderer().render(job([5, 5, 1, 10_000, 0, 58, 58, 1, 10_000, 1]));
    expect(px[5 * 64 + 5]).toBeGreaterThan(1_000);
    expect(px[58 * 64 + 58]).toBeGreaterThan(1_000);
    expect(px[32 * 64 + 32]).toBeLessThan(100 + 2 * 8);
  });
});
