import { describe, expect, it } from 'vitest';
import {
  FOCUS_MEASURES,
  focusMeasure,
} from '../../../../electron/automation/kernels/focus-measures';
import { renderBlobs, texture } from './synthetic';

const W = 128;
const H = 96;

/** A blur series: the same texture with sigma² = s0² + (0.8·z)², noise on every frame. */
function frameAt(zUm: number, seed: number): Uint16Array {
  const blobs = texture(W, H, 150, 11).map((b) => ({
    ...b,
    sigmaPx: Math.hypot(b.sigmaPx, 0.8 * zUm),
    amplitude: (b.amplitude * b.sigmaPx ** 2) / (b.sigmaPx ** 2 + (0.8 * zUm) ** 2),
  }));
  return renderBlobs(W, H, blobs, { offset: 200, noiseSigma: 5, seed });
}

describe('focusMeasure', () => {
  const zs = [-6, -4, -2.5, -1.5, -0.75, 0, 0.75, 1.5, 2.5, 4, 6];
  const frames = zs.map((z, i) => frameAt(z, 100 + i));

  it.each(FOCUS_MEASURES)('%s peaks at focus and falls off on both sides', (name) => {
    const scores = frames.map((f) => focusMeasure(name, f, W, H));
    const best = scores.indexOf(Math.max(...scores));
    expect(zs[best]).toBe(0);
    // Strictly lower at each step away from focus, on both sides.
    const mid = zs.indexOf(0);
    for (let i = mid; i > 0; i--) expect(scores[i - 1]!).toBeLessThan(scores[i]!);
    for (let i = mid; i < zs.length - 1; i++) expect(scores[i + 1]!).toBeLessThan(scores[i]!);
  });

  it('measures only the ROI when one is given', () => {
    // Left half sharp, right half blurred: each half's measure follows its own content.
    const sharp = frameAt(0, 1);
    const blurred = frameAt(5, 2);
    const mixed = new Uint16Array(W * H);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) mixed[y * W + x] = (x < W / 2 ? sharp : blurred)[y * W + x]!;
    }
    const left = { xPx: 0, yPx: 0, widthPx: W / 2, heightPx: H };
    const right = { xPx: W / 2, yPx: 0, widthPx: W / 2, heightPx: H };
    for (const name of FOCUS_MEASURES) {
      expect(focusMeasure(name, mixed, W, H, left)).toBeCloseTo(
        focusMeasure(name, sharp, W, H, left),
        6,
      );
      expect(focusMeasure(name, mixed, W, H, left)).toBeGreaterThan(
        focusMeasure(name, mixed, W, H, right),
      );
    }
  });

  it('known values on a tiny frame', () => {
    // 3 × 3 with a single bright centre pixel.
    const p = new Uint16Array([0, 0, 0, 0, 9, 0, 0, 0, 0]);
    expect(focusMeasure('normalized-variance', p, 3, 3)).toBeCloseTo((81 / 9 - 1) / 1, 9);
    expect(focusMeasure('laplacian-variance', p, 3, 3)).toBe(0); // one sample: no variance
    expect(focusMeasure('tenengrad', p, 3, 3)).toBe(0); // Sobel at the centre is 0
    // Brenner: pairs 2 apart in x (3 rows × 1) and y (3 cols × 1) all hold 0 − 0 except none.
    expect(focusMeasure('brenner', p, 3, 3)).toBe(0);
    const q = new Uint16Array([1, 2, 3, 1, 2, 3, 1, 2, 3]);
    // Brenner x: (3−1)² per row (3 pairs), y: 0 (3 pairs) → 12 / 6.
    expect(focusMeasure('brenner', q, 3, 3)).toBe(2);
    // Vollath x: 1·2 − 1·3 = −1 per row; y: v·v − v·v = 0 → −3 / 6.
    expect(focusMeasure('vollath-f4', q, 3, 3)).toBe(-0.5);
  });

  it('rejects frames and ROIs that do not fit', () => {
    const p = new Uint16Array(100);
    expect(() => focusMeasure('brenner', p, 10, 11)).toThrow(/holds 100 samples/);
    expect(() =>
      focusMeasure('brenner', p, 10, 10, { xPx: 9, yPx: 0, widthPx: 5, heightPx: 5 }),
    ).toThrow(/less than 3×3 px/);
    expect(() => focusMeasure('sharpness' as 'brenner', p, 10, 10)).toThrow(
      /unknown focus measure "sharpness"/,
    );
  });
});
