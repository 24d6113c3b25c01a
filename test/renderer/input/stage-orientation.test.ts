import { describe, expect, it } from 'vitest';
import type { StageOrientation } from '../../../electron/api/contract';
import {
  axisLabel,
  centreOnPixel,
  jogDelta,
  viewDeltaToStage,
  type ScreenDirection,
} from '../../../renderer/input/stage-orientation';

const o = (over: Partial<StageOrientation> = {}): StageOrientation => ({
  flipX: false,
  flipY: false,
  rotate90: false,
  ...over,
});

/** The contract (electron/config/stage-orientation.ts): stage (dx, dy) → view shift in image axes. */
function stageToView(or: StageOrientation, dx: number, dy: number): [number, number] {
  let [u, v] = or.rotate90 ? [-dy, dx] : [dx, dy];
  if (or.flipX) u = -u;
  if (or.flipY) v = -v;
  return [u + 0, v + 0];
}

describe('stage-to-camera orientation', () => {
  it('identity: right is stage +X, up is stage −Y (image y points down)', () => {
    expect(jogDelta(o(), 'right', 5)).toEqual({ dxUm: 5, dyUm: 0 });
    expect(jogDelta(o(), 'up', 5)).toEqual({ dxUm: 0, dyUm: -5 });
    expect(jogDelta(undefined, 'down', 5)).toEqual({ dxUm: 0, dyUm: 5 });
  });

  it('every orientation: the stage move shifts the view exactly as the arrow points', () => {
    const dirs: [ScreenDirection, [number, number]][] = [
      ['up', [0, -1]],
      ['down', [0, 1]],
      ['left', [-1, 0]],
      ['right', [1, 0]],
    ];
    for (const flipX of [false, true])
      for (const flipY of [false, true])
        for (const rotate90 of [false, true]) {
          const or = o({ flipX, flipY, rotate90 });
          for (const [dir, want] of dirs) {
            const d = jogDelta(or, dir, 3);
            expect(stageToView(or, d.dxUm, d.dyUm), `${JSON.stringify(or)} ${dir}`).toEqual([
              want[0] * 3,
              want[1] * 3,
            ]);
          }
        }
  });

  it('labels say which stage axis each arrow drives', () => {
    expect(
      ['up', 'down', 'left', 'right'].map((d) => axisLabel(o(), d as ScreenDirection)),
    ).toEqual(['Y−', 'Y+', 'X−', 'X+']);
    expect(axisLabel(o({ rotate90: true }), 'right')).toBe('Y−');
    expect(axisLabel(o({ rotate90: true }), 'up')).toBe('X−');
    expect(viewDeltaToStage(o({ flipY: true }), 0, -2)).toEqual({ dxUm: 0, dyUm: 2 });
  });
});

describe('click-to-move', () => {
  const frame = { widthPx: 512, heightPx: 256, pixelSizeUm: 0.2, binning: 2 };
  it('brings the clicked pixel to the frame centre, through the orientation', () => {
    // Centre of a 512 × 256 frame: (255.5, 127.5); 0.4 µm per binned pixel.
    expect(centreOnPixel(o(), frame, 255.5, 127.5)).toEqual({ dxUm: 0, dyUm: 0 });
    expect(centreOnPixel(o(), frame, 355.5, 127.5)).toEqual({ dxUm: 40, dyUm: 0 });
    expect(centreOnPixel(o(), frame, 255.5, 27.5)).toEqual({ dxUm: 0, dyUm: -40 });
    expect(centreOnPixel(o({ flipX: true }), frame, 355.5, 127.5)).toEqual({
      dxUm: -40,
      dyUm: 0,
    });
    const r = centreOnPixel(o({ rotate90: true }), frame, 355.5, 127.5);
    expect(stageToView(o({ rotate90: true }), r.dxUm, r.dyUm)).toEqual([40, 0]);
  });
});
