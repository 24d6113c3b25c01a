import { describe, expect, it } from 'vitest';
import {
  FocusSurface,
  idwZ,
  surfaceFrame,
  toWorld,
} from '../../../renderer/navigator/focus-surface';
import { brightSpot, viewBasis } from '../../../renderer/navigator/volume-renderer';

const tilted = [
  { xUm: 0, yUm: 0, zUm: 10 },
  { xUm: 1000, yUm: 0, zUm: 12 },
  { xUm: 0, yUm: 500, zUm: 10 },
  { xUm: 1000, yUm: 500, zUm: 12 },
];

describe('focus-map surface', () => {
  it('interpolates between points and passes through each', () => {
    expect(idwZ(tilted, 1000, 500)).toBe(12);
    expect(idwZ(tilted, 0, 0)).toBe(10);
    const mid = idwZ(tilted, 500, 250);
    expect(mid).toBeCloseTo(11, 6);
    expect(idwZ(tilted, 900, 250)).toBeGreaterThan(mid);
  });

  it('maps stage µm to world: larger XY side 1, +Y down the map is world −y, relief stretched', () => {
    const f = surfaceFrame(tilted);
    expect(f.scale).toBeCloseTo(1 / 1000);
    // 2 µm of relief over 1 mm, stretched to a quarter of the width.
    expect(f.zScale).toBeCloseTo(0.25 / (2 / 1000));
    const corner = toWorld(f, tilted[3]!);
    expect(corner.x).toBeCloseTo(0.5);
    expect(corner.y).toBeCloseTo(-0.25);
    expect(corner.z).toBeCloseTo(0.125);
    const s = new FocusSurface();
    s.set(tilted);
    expect(s.dims.x).toBeCloseTo(1);
    expect(s.dims.y).toBeCloseTo(0.5);
    expect(s.dims.z).toBeCloseTo(0.25);
    s.dispose();
  });
});

describe('3D view geometry', () => {
  it('top view: +X right and stage +Y down; front view: +X right and +Z up', () => {
    const top = viewBasis({ azimuthDeg: 0, elevationDeg: 90 });
    expect(top.right.x).toBeCloseTo(1);
    expect(top.up.y).toBeCloseTo(1); // world +y is stage −Y: screen up
    const front = viewBasis({ azimuthDeg: 0, elevationDeg: 0 });
    expect(front.right.x).toBeCloseTo(1);
    expect(front.up.z).toBeCloseTo(1);
    const side = viewBasis({ azimuthDeg: 90, elevationDeg: 0 });
    expect(side.toward.x).toBeCloseTo(1);
    expect(side.right.y).toBeCloseTo(1);
  });

  it('brightSpot finds the centroid of the brightest pixels, rows flipped to y down', () => {
    const w = 4;
    const h = 3;
    const rgba = new Uint8Array(w * h * 4);
    const set = (x: number, rowFromBottom: number, v: number) =>
      rgba.set([v, v, v, 255], (rowFromBottom * w + x) * 4);
    set(1, 2, 200); // top row (y down: 0)
    set(2, 2, 200);
    set(0, 0, 50);
    expect(brightSpot(rgba, w, h, 0.9)).toEqual({ x: 2, y: 0.5, brightness: 600, pixels: 2 });
  });
});
