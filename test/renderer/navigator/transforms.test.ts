import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CameraOrientation } from '../../../electron/api/contract';
import {
  frameFootprint,
  imageToStageOffset,
  pixelToStage,
  stageToImageOffset,
  stageToPixel,
  type FrameGeometry,
} from '../../../renderer/navigator/frame-placement';
import {
  fitMap,
  panMap,
  screenToStage,
  stageLayerTransform,
  stageToScreen,
  visibleRect,
  zoomMapAt,
  type MapView,
} from '../../../renderer/navigator/map-view';

const id: CameraOrientation = { flipX: false, flipY: false, rotate90: 0 };
const orientations = fc.record({
  flipX: fc.boolean(),
  flipY: fc.boolean(),
  rotate90: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>,
});
const coord = fc.double({ min: -30_000, max: 30_000, noNaN: true });

const frame: FrameGeometry = {
  widthPx: 200,
  heightPx: 100,
  umPerPx: 0.5,
  centerXUm: 1000,
  centerYUm: -2000,
};

describe('camera orientation', () => {
  it('identity: image right is stage +X, image down is stage +Y', () => {
    expect(imageToStageOffset(id, { x: 3, y: 4 })).toEqual({ x: 3, y: 4 });
  });

  it('flips mirror the image axes', () => {
    expect(imageToStageOffset({ ...id, flipX: true }, { x: 3, y: 4 })).toEqual({ x: -3, y: 4 });
    expect(imageToStageOffset({ ...id, flipY: true }, { x: 3, y: 4 })).toEqual({ x: 3, y: -4 });
  });

  it('one quarter turn clockwise on the +Y-down map: image right → stage +Y (down)', () => {
    const o = { ...id, rotate90: 1 as const };
    const right = imageToStageOffset(o, { x: 1, y: 0 });
    const down = imageToStageOffset(o, { x: 0, y: 1 });
    expect([right.x + 0, right.y]).toEqual([0, 1]);
    expect([down.x, down.y + 0]).toEqual([-1, 0]);
  });

  it('flips apply before the rotation', () => {
    const o: CameraOrientation = { flipX: true, flipY: false, rotate90: 1 };
    // (1,0) → flip → (-1,0) → turn → (0,-1)
    const v = imageToStageOffset(o, { x: 1, y: 0 });
    expect([v.x + 0, v.y]).toEqual([0, -1]);
  });

  it('stageToImageOffset inverts imageToStageOffset for every orientation', () => {
    fc.assert(
      fc.property(orientations, coord, coord, (o, x, y) => {
        const back = stageToImageOffset(o, imageToStageOffset(o, { x, y }));
        expect(back.x).toBeCloseTo(x, 9);
        expect(back.y).toBeCloseTo(y, 9);
      }),
    );
  });
});

describe('frame placement', () => {
  it('the frame centre is the stage position; corners are half a frame away', () => {
    expect(pixelToStage(frame, id, { x: 100, y: 50 })).toEqual({ x: 1000, y: -2000 });
    expect(pixelToStage(frame, id, { x: 0, y: 0 })).toEqual({ x: 950, y: -2025 });
  });

  it('footprint swaps width and height for odd quarter turns', () => {
    expect(frameFootprint(frame, id)).toEqual({ x0: 950, y0: -2025, x1: 1050, y1: -1975 });
    expect(frameFootprint(frame, { ...id, rotate90: 3 })).toEqual({
      x0: 975,
      y0: -2050,
      x1: 1025,
      y1: -1950,
    });
  });

  it('every pixel lands inside the footprint, and stageToPixel inverts pixelToStage', () => {
    fc.assert(
      fc.property(
        orientations,
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (o, px, py) => {
          const s = pixelToStage(frame, o, { x: px, y: py });
          const f = frameFootprint(frame, o);
          expect(s.x).toBeGreaterThanOrEqual(f.x0 - 1e-9);
          expect(s.x).toBeLessThanOrEqual(f.x1 + 1e-9);
          expect(s.y).toBeGreaterThanOrEqual(f.y0 - 1e-9);
          expect(s.y).toBeLessThanOrEqual(f.y1 + 1e-9);
          const back = stageToPixel(frame, o, s);
          expect(back.x).toBeCloseTo(px, 6);
          expect(back.y).toBeCloseTo(py, 6);
        },
      ),
    );
  });
});

describe('map view', () => {
  const v: MapView = { centerXUm: 100, centerYUm: 200, umPerPx: 10, widthPx: 400, heightPx: 300 };

  it('the canvas centre shows the view centre; +X right, +Y down', () => {
    expect(stageToScreen(v, { x: 100, y: 200 })).toEqual({ x: 200, y: 150 });
    expect(stageToScreen(v, { x: 110, y: 220 })).toEqual({ x: 201, y: 152 });
    expect(visibleRect(v)).toEqual({ x0: -1900, y0: -1300, x1: 2100, y1: 1700 });
  });

  it('screenToStage inverts stageToScreen', () => {
    fc.assert(
      fc.property(coord, coord, (x, y) => {
        const back = screenToStage(v, stageToScreen(v, { x, y }));
        expect(back.x).toBeCloseTo(x, 6);
        expect(back.y).toBeCloseTo(y, 6);
      }),
    );
  });

  it('zoom keeps the stage point under the cursor; pan moves it with the pointer', () => {
    const s = { x: 37, y: 250 };
    const before = screenToStage(v, s);
    const z = zoomMapAt(v, 2.5, s);
    expect(z.umPerPx).toBeCloseTo(4, 12);
    const after = screenToStage(z, s);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
    const p = panMap(v, 10, -5);
    const moved = stageToScreen(p, before);
    expect(moved.x).toBeCloseTo(s.x + 10, 9);
    expect(moved.y).toBeCloseTo(s.y - 5, 9);
  });

  it('fit shows the whole rectangle with a margin', () => {
    const f = fitMap({ x0: -25_000, y0: -10_000, x1: 25_000, y1: 10_000 }, 500, 500, 0.1);
    expect(f.umPerPx).toBeCloseTo(120, 9);
    const r = visibleRect(f);
    expect(r.x0).toBeLessThan(-25_000);
    expect(r.x1).toBeGreaterThan(25_000);
  });

  it('the stage layer transform puts stage µm where stageToScreen does', () => {
    const t = stageLayerTransform(v);
    const m = /translate\((.+)px, (.+)px\) scale\((.+)\)/.exec(t)!;
    const [tx, ty, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const p = { x: 1234, y: -567 };
    const q = stageToScreen(v, p);
    expect(tx + p.x * s).toBeCloseTo(q.x, 9);
    expect(ty + p.y * s).toBeCloseTo(q.y, 9);
  });
});
