import { describe, expect, it } from 'vitest';
import { boxRadii, gaussianSmooth } from '../../../../electron/automation/kernels/smooth';
import {
  backgroundStats,
  histogram,
  otsuThreshold,
  triangleThreshold,
} from '../../../../electron/automation/kernels/thresholds';
import { normal, uniform } from '../../../../drivers/sim/rng';

function samples(parts: { n: number; mean: number; sd: number }[], seed = 3): Float32Array {
  const rand = uniform(seed);
  const out: number[] = [];
  for (const p of parts) for (let i = 0; i < p.n; i++) out.push(p.mean + p.sd * normal(rand));
  return Float32Array.from(out);
}

describe('thresholds', () => {
  it('Otsu splits two equal modes halfway', () => {
    const h = histogram(
      samples([
        { n: 20_000, mean: 100, sd: 10 },
        { n: 20_000, mean: 300, sd: 10 },
      ]),
    );
    expect(otsuThreshold(h)).toBeGreaterThan(180);
    expect(otsuThreshold(h)).toBeLessThan(220);
  });

  it('Otsu moves toward the smaller, wider mode as textbook (between both means)', () => {
    const h = histogram(
      samples([
        { n: 30_000, mean: 100, sd: 5 },
        { n: 3_000, mean: 200, sd: 20 },
      ]),
    );
    const t = otsuThreshold(h);
    expect(t).toBeGreaterThan(115);
    expect(t).toBeLessThan(185);
  });

  it('triangle cuts the foot of a dominant peak with a long tail', () => {
    // Background N(100, 5) plus a flat tail of bright objects up to 1000.
    const rand = uniform(9);
    const bg = samples([{ n: 50_000, mean: 100, sd: 5 }]);
    const tail = Float32Array.from({ length: 2_000 }, () => 150 + rand() * 850);
    const all = new Float32Array(bg.length + tail.length);
    all.set(bg);
    all.set(tail, bg.length);
    const t = triangleThreshold(histogram(all));
    // Past the background's bulk (≥ 2 sd), well below the tail's values.
    expect(t).toBeGreaterThan(110);
    expect(t).toBeLessThan(160);
    // Otsu on the same data sits inside the tail instead.
    expect(otsuThreshold(histogram(all))).toBeGreaterThan(t);
  });

  it('backgroundStats reads level and noise from the background under bright objects', () => {
    const v = samples([
      { n: 80_000, mean: 50, sd: 4 },
      { n: 20_000, mean: 900, sd: 100 },
    ]);
    const { level, sigma } = backgroundStats(v);
    // The median moves a little toward the objects; sigma comes from the lower side only.
    expect(level).toBeGreaterThan(50);
    expect(level).toBeLessThan(54);
    expect(sigma).toBeGreaterThan(3.5);
    expect(sigma).toBeLessThan(5.5);
  });

  it('a constant image gives one bin and thresholds at its value', () => {
    const h = histogram(new Float32Array(100).fill(7));
    expect(h.counts[0]).toBe(100);
    expect(otsuThreshold(h)).toBeGreaterThanOrEqual(7);
  });
});

describe('gaussianSmooth', () => {
  it.each([0.8, 1.5, 2, 4, 7.3])('box cascade for sigma %s has the Gaussian variance', (s) => {
    const radii = boxRadii(s);
    const variance = radii.reduce((v, r) => v + ((2 * r + 1) ** 2 - 1) / 12, 0);
    expect(Math.abs(Math.sqrt(variance) - s) / s).toBeLessThan(0.15);
  });

  it('spreads an impulse with the right variance and keeps its flux and centre', () => {
    const w = 64;
    const h = 48;
    const src = new Uint16Array(w * h);
    src[20 * w + 30] = 10_000;
    const out = gaussianSmooth(src, w, h, 3);
    let sum = 0;
    let sx = 0;
    let sxx = 0;
    let sy = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = out[y * w + x]!;
        sum += v;
        sx += v * x;
        sy += v * y;
        sxx += v * x * x;
      }
    }
    expect(sum).toBeCloseTo(10_000, 0);
    expect(sx / sum).toBeCloseTo(30, 6);
    expect(sy / sum).toBeCloseTo(20, 6);
    expect(Math.sqrt(sxx / sum - (sx / sum) ** 2)).toBeCloseTo(3, 0);
  });

  it('sigma 0 copies', () => {
    const src = Uint16Array.from([1, 2, 3, 4]);
    expect(Array.from(gaussianSmooth(src, 2, 2, 0))).toEqual([1, 2, 3, 4]);
  });
});
