/** SFNC binning and ROI writes shared by the GenICam camera (connect, setters, reconnect). */
import type { CameraSensor, RoiPx } from '../../devices';
import { LimitError, ValidationError } from '../../errors';
import { assertRoiOnSensor } from '../../camera-roi';
import type { NodeMap } from './node-map';

/** Sets BinningHorizontal (and Vertical) to `binning`, offsets first to 0 so it fits. */
export async function applyBinning(map: NodeMap, binning: number, id: string): Promise<void> {
  if (!Number.isInteger(binning) || binning < 1)
    throw new ValidationError(`${id}: binning must be a positive integer, got ${binning}`);
  if (!map.has('BinningHorizontal')) {
    if (binning !== 1) throw new LimitError(`${id}: this camera has no binning`);
    return;
  }
  await map.setValue('OffsetX', 0);
  await map.setValue('OffsetY', 0);
  await map.setValue('BinningHorizontal', binning);
  if (map.has('BinningVertical')) await map.setValue('BinningVertical', binning);
}

/**
 * Sets Width/Height/OffsetX/OffsetY to `roi` (binned pixels; null = the whole binned
 * sensor), after checking it lies on the sensor. Returns the ROI to remember.
 */
export async function applyRoi(
  map: NodeMap,
  roi: RoiPx | null,
  sensor: CameraSensor,
  binning: number,
  id: string,
): Promise<RoiPx | null> {
  const w = Math.floor(sensor.widthPx / binning);
  const h = Math.floor(sensor.heightPx / binning);
  const r = roi ?? { xPx: 0, yPx: 0, widthPx: w, heightPx: h };
  assertRoiOnSensor(id, r, w, h, binning);
  await map.setValue('OffsetX', 0);
  await map.setValue('OffsetY', 0);
  await map.setValue('Width', r.widthPx);
  await map.setValue('Height', r.heightPx);
  await map.setValue('OffsetX', r.xPx);
  await map.setValue('OffsetY', r.yPx);
  return roi && { ...roi };
}
