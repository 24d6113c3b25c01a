import { describe, expect, it } from 'vitest';
import { findRois } from '../../../../electron/automation/kernels/roi-find';
import { uniform } from '../../../../drivers/sim/rng';
import { renderBlobs, renderDiscs } from './synthetic';

const W = 512;
const H = 384;

/** Discs on a grid with jitter, well apart; radius 6–14 px. */
function discField(seed: number) {
  const rand = uniform(seed);
  const discs: { xPx: number; yPx: number; radiusPx: number; amplitude: number }[] = [];
  for (let gy = 0; gy < 4; gy++) {
    for (let gx = 0; gx < 5; gx++) {
      discs.push({
        xPx: 60 + gx * 95 + (rand() - 0.5) * 20,
        yPx: 55 + gy * 90 + (rand() - 0.5) * 20,
        radiusPx: 6 + rand() * 8,
        amplitude: 300 + rand() * 300,
      });
    }
  }
  return discs;
}

function nearest<T extends { xPx: number; yPx: number }>(rois: T[], x: number, y: number): T {
  let best = rois[0]!;
  for (const r of rois) {
    if (Math.hypot(r.xPx - x, r.yPx - y) < Math.hypot(best.xPx - x, best.yPx - y)) best = r;
  }
  return best;
}

describe('findRois', () => {
  it('recovers known discs: count, centroids and areas, on a sloped background', () => {
    const discs = discField(5);
    const p = renderDiscs(W, H, discs, { offset: 500, noiseSigma: 20, seed: 2 });
    // Add an illumination slope the background step must remove.
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) p[y * W + x]! += Math.round(x * 0.6);
    for (const threshold of ['otsu', 'triangle'] as const) {
      const rois = findRois(p, W, H, { threshold, backgroundRadiusPx: 48, smoothSigmaPx: 1.5 });
      expect(rois).toHaveLength(discs.length);
      for (const d of discs) {
        const r = nearest(rois, d.xPx, d.yPx);
        expect(Math.hypot(r.xPx - d.xPx, r.yPx - d.yPx)).toBeLessThan(0.15);
        const area = Math.PI * d.radiusPx ** 2;
        // Otsu cuts near half height; triangle near the foot, so it takes in the soft edge.
        if (threshold === 'otsu') expect(Math.abs(r.areaPx - area) / area).toBeLessThan(0.2);
        else {
          expect(r.areaPx / area).toBeGreaterThan(1);
          expect(r.areaPx / area).toBeLessThan(2);
        }
        expect(r.circularity).toBeGreaterThan(0.8);
        expect(r.meanIntensity).toBeGreaterThan(0.5 * d.amplitude);
      }
    }
  });

  it.each([2, 5, 8])(
    'smoothing of %s px bins the frame first and still measures in frame pixels',
    (smoothSigmaPx) => {
      // One brightness: a global threshold then cuts every disc at the same height.
      const discs = discField(8).map((d) => ({ ...d, amplitude: 450 }));
      const p = renderDiscs(W, H, discs, { offset: 500, noiseSigma: 20, seed: 3 });
      const opts = { backgroundRadiusPx: 48, smoothSigmaPx };
      const rois = findRois(p, W, H, opts);
      // Nearly the same smoothing, binned one step less (1.95, 7.95 px) or the same (4.95 px).
      const finer = findRois(p, W, H, { ...opts, smoothSigmaPx: smoothSigmaPx - 0.05 });
      expect(rois).toHaveLength(discs.length);
      for (const d of discs) {
        const r = nearest(rois, d.xPx, d.yPx);
        const f = nearest(finer, d.xPx, d.yPx);
        // Heavy smoothing of small discs costs some centroid precision (bins or not).
        expect(Math.hypot(r.xPx - d.xPx, r.yPx - d.yPx)).toBeLessThan(
          Math.max(0.15, 0.04 * smoothSigmaPx),
        );
        // Areas come in whole bins of 4 px.
        expect(Math.abs(r.areaPx - f.areaPx) / f.areaPx).toBeLessThan(0.2);
        expect(
          Math.abs(r.integratedIntensity - f.integratedIntensity) / f.integratedIntensity,
        ).toBeLessThan(0.12);
        expect(r.bbox.xPx).toBeLessThanOrEqual(d.xPx - d.radiusPx + smoothSigmaPx);
        expect(r.bbox.xPx + r.bbox.widthPx).toBeGreaterThanOrEqual(d.xPx + d.radiusPx - 1);
      }
    },
  );

  it('ranks by integrated intensity × circularity, best first', () => {
    const p = renderDiscs(W, H, discField(6), { noiseSigma: 10, seed: 4 });
    const rois = findRois(p, W, H, { backgroundRadiusPx: 48 });
    for (let i = 1; i < rois.length; i++)
      expect(rois[i]!.score).toBeLessThanOrEqual(rois[i - 1]!.score);
    expect(rois[0]!.score).toBeCloseTo(rois[0]!.integratedIntensity * rois[0]!.circularity, 6);
  });

  it('filters by area, circularity, intensity, edge distance, overlap and count', () => {
    const discs = [
      { xPx: 100, yPx: 100, radiusPx: 10, amplitude: 400 }, // keeps
      { xPx: 200, yPx: 100, radiusPx: 3, amplitude: 400 }, // small
      { xPx: 300, yPx: 100, radiusPx: 10, amplitude: 80 }, // dim
      { xPx: 8, yPx: 250, radiusPx: 6, amplitude: 400 }, // at the edge
      { xPx: 120, yPx: 120, radiusPx: 6, amplitude: 400 }, // box overlaps the first
    ];
    const p = renderDiscs(W, H, discs, { noiseSigma: 8, seed: 7 });
    // A thin bright line: large enough, not round.
    for (let x = 350; x < 470; x++) for (let y = 300; y < 303; y++) p[y * W + x] = 600;
    const base = { backgroundRadiusPx: 48, threshold: { value: 40 } } as const;
    expect(findRois(p, W, H, base)).toHaveLength(6);
    const filtered = findRois(p, W, H, {
      ...base,
      minAreaPx: 150,
      minCircularity: 0.6,
      minMeanIntensity: 150,
      edgeMarginPx: 4,
      maxOverlap: 0,
    });
    expect(filtered.map((r) => [Math.round(r.xPx), Math.round(r.yPx)])).toEqual([[100, 100]]);
    expect(findRois(p, W, H, { ...base, maxCount: 2 })).toHaveLength(2);
  });

  it('hysteresis keeps dim parts attached to bright ones and drops objects that stay dim', () => {
    const p = renderDiscs(
      W,
      H,
      [
        { xPx: 150, yPx: 150, radiusPx: 15, amplitude: 100 },
        { xPx: 150, yPx: 150, radiusPx: 4, amplitude: 300 },
        { xPx: 350, yPx: 150, radiusPx: 15, amplitude: 100 },
      ],
      { noiseSigma: 5, seed: 12 },
    );
    const base = { backgroundRadiusPx: 64, smoothSigmaPx: 1, threshold: { value: 200 } } as const;
    const single = findRois(p, W, H, base);
    expect(single).toHaveLength(1);
    expect(single[0]!.areaPx).toBeLessThan(100);
    const grown = findRois(p, W, H, { ...base, hysteresis: 0.4 });
    expect(grown).toHaveLength(1);
    expect(grown[0]!.areaPx).toBeGreaterThan(0.85 * Math.PI * 15 ** 2);
    expect(Math.hypot(grown[0]!.xPx - 150, grown[0]!.yPx - 150)).toBeLessThan(0.3);
    // Without the bright-seed rule the dim disc would be found at 0.4 × the threshold.
    expect(findRois(p, W, H, { ...base, threshold: { value: 80 } })).toHaveLength(2);
  });

  it('split cuts touching discs at their neck and leaves single round or elongated objects whole', () => {
    const touching = renderDiscs(
      W,
      H,
      [
        { xPx: 150, yPx: 150, radiusPx: 30, amplitude: 300 },
        { xPx: 200, yPx: 165, radiusPx: 25, amplitude: 300 },
      ],
      { noiseSigma: 5, seed: 13 },
    );
    const opts = { backgroundRadiusPx: 128, smoothSigmaPx: 2, minAreaPx: 200 };
    expect(findRois(touching, W, H, opts)).toHaveLength(1);
    const split = findRois(touching, W, H, { ...opts, split: true });
    expect(split).toHaveLength(2);
    const near = (x: number, y: number) => split.some((r) => Math.hypot(r.xPx - x, r.yPx - y) < 6);
    expect(near(150, 150) && near(200, 165)).toBe(true);

    // An ellipse (axes 45 × 25 px) built from overlapping discs along its axis: one object.
    const ellipse = renderDiscs(
      W,
      H,
      [-20, -10, 0, 10, 20].map((dx) => ({
        xPx: 250 + dx,
        yPx: 200,
        radiusPx: 25 - Math.abs(dx) / 2,
        amplitude: 60,
      })),
      { noiseSigma: 5, seed: 14 },
    );
    expect(
      findRois(ellipse, W, H, { ...opts, split: true, threshold: { value: 100 } }),
    ).toHaveLength(1);
  });

  it('finds nothing on an empty field', () => {
    const empty = renderBlobs(W, H, [], { offset: 300, noiseSigma: 10, seed: 8 });
    expect(findRois(empty, W, H, { threshold: { value: 60 }, minAreaPx: 20 })).toEqual([]);
    // Automatic thresholds stay above the measured noise (they would split the noise alone).
    for (const threshold of ['otsu', 'triangle'] as const) {
      expect(findRois(empty, W, H, { threshold, minAreaPx: 20 })).toEqual([]);
      expect(
        findRois(empty, W, H, { threshold, minAreaPx: 20, minSigmas: 0 }).length,
      ).toBeGreaterThan(3);
    }
  });

  it('rejects bad options with the option named', () => {
    const p = new Uint16Array(W * H);
    expect(() => findRois(p, W, H, { minCircularity: 2 })).toThrow(/minCircularity = 2/);
    expect(() => findRois(p, W, H, { threshold: 'mean' as 'otsu' })).toThrow(/threshold "mean"/);
    expect(() => findRois(p, W, H + 1)).toThrow(/needs/);
  });
});
