/** Frame-geometry checks shared by the pixel kernels (frames are row-major, x right, y down). */
import type { RoiPx } from '../../../drivers/devices';
import { ValidationError } from '../../../drivers/errors';

/** Half-open pixel bounds [x0, x1) × [y0, y1) inside a frame. */
export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Throws unless `pixels` holds exactly widthPx × heightPx samples of a non-empty frame. */
export function checkFrame(pixels: ArrayLike<number>, widthPx: number, heightPx: number): void {
  if (!Number.isInteger(widthPx) || !Number.isInteger(heightPx) || widthPx < 1 || heightPx < 1) {
    throw new ValidationError(
      `frame size ${widthPx}×${heightPx} px is not a positive integer size`,
    );
  }
  if (pixels.length !== widthPx * heightPx) {
    throw new ValidationError(
      `frame holds ${pixels.length} samples but ${widthPx}×${heightPx} px needs ${widthPx * heightPx}`,
    );
  }
}

/**
 * The part of `roi` inside the frame (the whole frame without one). Throws when the ROI is
 * malformed or smaller than `minSidePx` on a side once clipped (a kernel needs that much).
 */
export function roiBounds(
  widthPx: number,
  heightPx: number,
  roi: RoiPx | undefined,
  minSidePx = 1,
): Bounds {
  const b = roi
    ? {
        x0: Math.max(0, Math.floor(roi.xPx)),
        y0: Math.max(0, Math.floor(roi.yPx)),
        x1: Math.min(widthPx, Math.floor(roi.xPx + roi.widthPx)),
        y1: Math.min(heightPx, Math.floor(roi.yPx + roi.heightPx)),
      }
    : { x0: 0, y0: 0, x1: widthPx, y1: heightPx };
  if (
    !(b.x1 - b.x0 >= minSidePx && b.y1 - b.y0 >= minSidePx) ||
    Object.values(b).some((v) => !Number.isFinite(v))
  ) {
    const what = roi
      ? `ROI ${roi.xPx},${roi.yPx} ${roi.widthPx}×${roi.heightPx} px`
      : `frame ${widthPx}×${heightPx} px`;
    throw new ValidationError(
      `${what} leaves less than ${minSidePx}×${minSidePx} px inside the ${widthPx}×${heightPx} px frame`,
    );
  }
  return b;
}
