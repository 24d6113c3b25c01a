/**
 * Field-of-view moves in image directions → stage moves, through the configured
 * stage-to-camera orientation (electron/config/stage-orientation.ts has the contract). The
 * jog pad and the arrow keys move the field of view the way their arrows point on screen
 * (image x right, y down), whatever the camera's mounting. Pure.
 */
import type { StageOrientation } from '../../electron/api/contract';
import { IDENTITY_ORIENTATION, imageToStageOffset } from '../../electron/api/shared/orientation';

export interface StageDelta {
  dxUm: number;
  dyUm: number;
}

/** The stage move that shifts the field of view by (dxView, dyView) µm in image axes. */
export function viewDeltaToStage(
  o: StageOrientation | undefined,
  dxView: number,
  dyView: number,
): StageDelta {
  const d = imageToStageOffset(o ?? IDENTITY_ORIENTATION, dxView, dyView);
  return { dxUm: d.xUm, dyUm: d.yUm };
}

export type ScreenDirection = 'up' | 'down' | 'left' | 'right';

const VIEW: Record<ScreenDirection, [number, number]> = {
  up: [0, -1],
  down: [0, 1],
  left: [-1, 0],
  right: [1, 0],
};

/** The stage move for a jog of `stepUm` toward `dir` on screen. */
export function jogDelta(o: StageOrientation | undefined, dir: ScreenDirection, stepUm: number) {
  const [x, y] = VIEW[dir];
  return viewDeltaToStage(o, x * stepUm, y * stepUm);
}

/** "X+", "Y−": which stage axis a screen direction drives (for the jog pad's labels). */
export function axisLabel(o: StageOrientation | undefined, dir: ScreenDirection): string {
  const d = jogDelta(o, dir, 1);
  return d.dxUm !== 0 ? `X${d.dxUm > 0 ? '+' : '−'}` : `Y${d.dyUm > 0 ? '+' : '−'}`;
}

/**
 * Click-to-move: the stage move that brings image point (xPx, yPx) (continuous pixel
 * coordinates, pixel (i, j) centred at (i, j)) to the centre of the frame. Assumes the
 * optical axis at the frame centre (true for a full or centred camera ROI).
 */
export function centreOnPixel(
  o: StageOrientation | undefined,
  frame: { widthPx: number; heightPx: number; pixelSizeUm: number; binning: number },
  xPx: number,
  yPx: number,
): StageDelta {
  const umPerPx = frame.pixelSizeUm * frame.binning;
  return viewDeltaToStage(
    o,
    (xPx - (frame.widthPx / 2 - 0.5)) * umPerPx,
    (yPx - (frame.heightPx / 2 - 0.5)) * umPerPx,
  );
}
