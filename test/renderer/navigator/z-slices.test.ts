import { describe, expect, it } from 'vitest';
import { cameraOrientationOf } from '../../../renderer/navigator/frame-placement';
import { SLICE_SAMPLES, ZSliceStack } from '../../../renderer/navigator/z-slices';

const IDENTITY_ORIENTATION = cameraOrientationOf(undefined);

/** A frame whose value is its column + 1000 × z index (so slices show where they came from). */
function frame(w: number, h: number, zIndex: number): Uint16Array {
  const p = new Uint16Array(w * h);
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) p[r * w + c] = c + 1000 * zIndex + r;
  return p;
}

const g = (x = 0) => ({ widthPx: 64, heightPx: 32, umPerPx: 1, centerXUm: x, centerYUm: 0 });

describe('z slices', () => {
  it('one XZ and YZ line per plane through the field centre, highest z first', () => {
    const s = new ZSliceStack();
    s.add(frame(64, 32, 0), g(), IDENTITY_ORIENTATION, -2);
    s.add(frame(64, 32, 2), g(), IDENTITY_ORIENTATION, 2);
    s.add(frame(64, 32, 1), g(), IDENTITY_ORIENTATION, 0);
    expect(s.sorted.map((p) => p.zUm)).toEqual([2, 0, -2]);
    const top = s.sorted[0]!;
    expect(top.xz).toHaveLength(SLICE_SAMPLES);
    // XZ runs along the centre row (row 16): values 2000 + col + 16, left to right.
    expect(top.xz[0]).toBe(2000 + 0 + 16);
    expect(top.xz[SLICE_SAMPLES - 1]).toBe(2000 + 63 + 16);
    // YZ runs down the centre column (col 32).
    expect(top.yz[0]).toBe(2000 + 32 + 0);
    expect(top.yz[SLICE_SAMPLES - 1]).toBe(2000 + 32 + 31);
  });

  it('a new frame at a known z replaces that plane; moving in XY starts a new stack', () => {
    const s = new ZSliceStack();
    s.add(frame(64, 32, 0), g(), IDENTITY_ORIENTATION, 1);
    s.add(frame(64, 32, 5), g(), IDENTITY_ORIENTATION, 1.001);
    expect(s.sorted).toHaveLength(1);
    expect(s.sorted[0]!.xz[0]).toBe(5016);
    s.add(frame(64, 32, 0), g(), IDENTITY_ORIENTATION, 3);
    expect(s.sorted).toHaveLength(2);
    s.add(frame(64, 32, 0), g(50), IDENTITY_ORIENTATION, 3);
    expect(s.sorted).toHaveLength(1);
  });
});
