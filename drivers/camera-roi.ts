/**
 * The one check every camera driver applies to a read-out region before using it: integer
 * binned pixels, at least 1×1, wholly on the `widthPx` × `heightPx` binned sensor.
 */
import type { RoiPx } from './devices';
import { LimitError, ValidationError } from './errors';

export function assertRoiOnSensor(
  id: string,
  roi: RoiPx,
  widthPx: number,
  heightPx: number,
  binning: number,
): void {
  for (const key of ['xPx', 'yPx', 'widthPx', 'heightPx'] as const)
    if (!Number.isInteger(roi[key]))
      throw new ValidationError(`${id}: roi.${key} must be an integer, got ${roi[key]}`);
  if (
    roi.xPx < 0 ||
    roi.yPx < 0 ||
    roi.widthPx < 1 ||
    roi.heightPx < 1 ||
    roi.xPx + roi.widthPx > widthPx ||
    roi.yPx + roi.heightPx > heightPx
  )
    throw new LimitError(
      `${id}: ROI x=${roi.xPx} y=${roi.yPx} ${roi.widthPx}×${roi.heightPx} lies outside the ${widthPx}×${heightPx} sensor at binning ${binning}`,
    );
}
