import { describe, expect, it } from 'vitest';
import { registerPhaseCorrelation } from '../../../../electron/automation/kernels/phase-correlation';
import { renderBlobs, texture } from './synthetic';

/** Reference and moving frames rendered from the same blobs, the moving ones displaced. */
function pair(w: number, h: number, dxPx: number, dyPx: number, noiseSigma = 8) {
  // Blobs cover a margin beyond the frame so content enters as it shifts.
  const blobs = (shift: { dxPx: number; dyPx: number }) =>
    texture(w + 40, h + 40, Math.round((w * h) / 60), 21, shift).map((b) => ({
      ...b,
      xPx: b.xPx - 20,
      yPx: b.yPx - 20,
    }));
  return {
    reference: renderBlobs(w, h, blobs({ dxPx: 0, dyPx: 0 }), { noiseSigma, seed: 1 }),
    moving: renderBlobs(w, h, blobs({ dxPx, dyPx }), { noiseSigma, seed: 2 }),
  };
}

describe('registerPhaseCorrelation', () => {
  it.each([
    [0, 0],
    [0.3, -0.2],
    [3.37, -7.61],
    [-12.5, 4.25],
    [0.05, 0.95],
  ])('recovers a shift of (%s, %s) px within 0.1 px', (dx, dy) => {
    const { reference, moving } = pair(256, 256, dx, dy);
    const r = registerPhaseCorrelation(reference, moving, 256, 256);
    expect(Math.abs(r.dxPx - dx)).toBeLessThan(0.1);
    expect(Math.abs(r.dyPx - dy)).toBeLessThan(0.1);
    expect(r.confidence).toBeGreaterThan(0.1);
  });

  it('handles sizes that are not powers of two', () => {
    const { reference, moving } = pair(200, 150, -5.4, 2.7);
    const r = registerPhaseCorrelation(reference, moving, 200, 150);
    expect(Math.abs(r.dxPx + 5.4)).toBeLessThan(0.1);
    expect(Math.abs(r.dyPx - 2.7)).toBeLessThan(0.1);
  });

  it('bins large frames first and still recovers the shift in frame pixels', () => {
    const { reference, moving } = pair(1024, 1024, -9.45, 5.1);
    const r = registerPhaseCorrelation(reference, moving, 1024, 1024);
    expect(Math.abs(r.dxPx + 9.45)).toBeLessThan(0.05);
    expect(Math.abs(r.dyPx - 5.1)).toBeLessThan(0.05);
  });

  it('reports low confidence for unrelated frames', () => {
    const a = renderBlobs(128, 128, texture(128, 128, 300, 1), { noiseSigma: 8, seed: 1 });
    const b = renderBlobs(128, 128, texture(128, 128, 300, 2), { noiseSigma: 8, seed: 2 });
    const same = pair(128, 128, 1.5, 1.5);
    const related = registerPhaseCorrelation(same.reference, same.moving, 128, 128).confidence;
    const unrelated = registerPhaseCorrelation(a, b, 128, 128).confidence;
    expect(unrelated).toBeLessThan(related / 3);
  });

  it('rejects mismatched and tiny frames', () => {
    expect(() => registerPhaseCorrelation(new Uint16Array(64), new Uint16Array(63), 8, 8)).toThrow(
      /holds 63 samples/,
    );
    expect(() => registerPhaseCorrelation(new Uint16Array(16), new Uint16Array(16), 4, 4)).toThrow(
      /too small/,
    );
  });
});
