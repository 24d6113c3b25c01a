/** ROI signal for the stop rule: square mean minus the frame's sampled 20th-percentile background. */
import { describe, expect, it } from 'vitest';
import { frameBackground, roiSignal } from '../../../../electron/automation/flimp/roi-signal';

function noisy(n: number, seed: number): Uint16Array {
  const px = new Uint16Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    px[i] = 100 + (s % 5000);
  }
  return px;
}

/** Every `stride`-th pixel from stride/2 (~4096 of them), sorted; the value at 20 %. */
function oracle(px: Uint16Array): number {
  const stride = Math.max(1, Math.floor(px.length / 4096));
  const sample: number[] = [];
  for (let i = stride >> 1; i < px.length; i += stride) sample.push(px[i]!);
  sample.sort((a, b) => a - b);
  return sample[Math.floor(sample.length * 0.2)] ?? 0;
}

describe('frameBackground', () => {
  it('is the 20th percentile of a strided sample, for frame sizes on and off the stride', () => {
    for (const n of [1, 100, 4095, 4096, 8193, 512 * 512, 500 * 511]) {
      const px = noisy(n, n);
      expect(frameBackground(px), `n=${n}`).toBe(oracle(px));
    }
    expect(frameBackground(new Uint16Array(0))).toBe(0);
  });

  it('sorts numerically (60000 above 7000)', () => {
    const px = new Uint16Array(100).fill(60_000);
    px.fill(7_000, 0, 30);
    expect(frameBackground(px)).toBe(7_000);
  });
});

describe('roiSignal', () => {
  it('is the square mean above the background', () => {
    const w = 64;
    const px = new Uint16Array(w * w).fill(100);
    for (let y = 30; y <= 34; y++) for (let x = 30; x <= 34; x++) px[y * w + x] = 600;
    expect(roiSignal(px, w, w, { xPx: 32, yPx: 32 }, 2)).toBe(500);
  });
});
