/**
 * Stage-to-camera orientation math shared by the host (automation's pixel-to-stage) and the
 * renderer (jog pad, arrow keys, click-to-move): the one place the config's
 * `stageOrientation` (electron/config/stage-orientation.ts has the contract — a stage offset
 * appears in the image turned (dx, dy) → (−dy, dx) when rotate90, then flipped) is applied.
 * Pure, no imports beyond types, so the renderer may import it (eslint.config.mjs).
 */
import type { StageOrientation } from '../state';

/** All false: image +x is stage +x, image +y (down) is stage +y. */
export const IDENTITY_ORIENTATION: StageOrientation = {
  flipX: false,
  flipY: false,
  rotate90: false,
};

/** An offset along the image's axes (µm, x right, y down) → the stage offset it shows. */
export function imageToStageOffset(
  o: StageOrientation,
  uUm: number,
  vUm: number,
): { xUm: number; yUm: number } {
  const x = o.flipX ? -uUm : uUm;
  const y = o.flipY ? -vUm : vUm;
  // Undo the quarter turn (dx, dy) → (−dy, dx); `+ 0` keeps −0 out of results.
  return o.rotate90 ? { xUm: y + 0, yUm: -x + 0 } : { xUm: x + 0, yUm: y + 0 };
}

/** Inverse of imageToStageOffset: where a stage offset lies in the image, µm along its axes. */
export function stageToImageOffset(
  o: StageOrientation,
  dxUm: number,
  dyUm: number,
): { uUm: number; vUm: number } {
  const u = o.rotate90 ? -dyUm : dxUm;
  const v = o.rotate90 ? dxUm : dyUm;
  return { uUm: (o.flipX ? -u : u) + 0, vUm: (o.flipY ? -v : v) + 0 };
}

/** A frame of widthPx × heightPx image pixels of `pixelUm` spans this much along stage X, Y. */
export function fieldExtentUm(
  o: StageOrientation,
  widthPx: number,
  heightPx: number,
  pixelUm: number,
): { xUm: number; yUm: number } {
  const [along, across] = o.rotate90 ? [heightPx, widthPx] : [widthPx, heightPx];
  return { xUm: along * pixelUm, yUm: across * pixelUm };
}
