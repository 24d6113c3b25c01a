/**
 * Frame pixel ↔ stage µm. Pixel coordinates: x right, y down, pixel (i, j) centred at
 * (i, j) — so an intensity-weighted centroid over pixel indices is a pixel coordinate as is,
 * and the frame's top-left pixel spans [−0.5, 0.5).
 *
 * Mapping (the simulated camera's, drivers/sim/sample.ts `expose`, and the usual upright
 * camera orientation): the stage position is the sample point imaged at the centre of the
 * full binned sensor; a sample point (x, y) µm appears at column (x − stageX)/pixelUm +
 * sensorWidth/2 and row (y − stageY)/pixelUm + sensorHeight/2 in continuous sensor
 * coordinates. No mirror, no rotation: image +x is stage +x, image +y (down) is stage +y.
 */
import type { Camera, RoiPx } from '../../drivers/devices';
import type { FrameMeta } from '../api/contract';

export interface FrameGeometry {
  /** Stage position when the frame was exposed, µm. */
  stageXUm: number;
  stageYUm: number;
  /** Sensor pixel size at the sample for binning 1, µm (FrameMeta.pixelSizeUm). */
  pixelSizeUm: number;
  binning: number;
  /** Full sensor size at binning 1, px. */
  sensorWidthPx: number;
  sensorHeightPx: number;
  /** Camera read-out region in binned pixels; null = the full binned sensor. */
  roi: RoiPx | null;
}

export interface PixelPoint {
  xPx: number;
  yPx: number;
}

export interface StagePoint {
  xUm: number;
  yUm: number;
}

/** Binned pixel size at the sample, µm. */
export function framePixelUm(g: FrameGeometry): number {
  return g.pixelSizeUm * g.binning;
}

/** Where the optical axis (the stage position) falls in this frame, pixel coordinates. */
function axisPx(g: FrameGeometry): PixelPoint {
  const w = Math.floor(g.sensorWidthPx / g.binning);
  const h = Math.floor(g.sensorHeightPx / g.binning);
  return {
    xPx: w / 2 - 0.5 - (g.roi?.xPx ?? 0),
    yPx: h / 2 - 0.5 - (g.roi?.yPx ?? 0),
  };
}

export function pixelToStage(g: FrameGeometry, p: PixelPoint): StagePoint {
  const pix = framePixelUm(g);
  const axis = axisPx(g);
  return {
    xUm: g.stageXUm + (p.xPx - axis.xPx) * pix,
    yUm: g.stageYUm + (p.yPx - axis.yPx) * pix,
  };
}

export function stageToPixel(g: FrameGeometry, s: StagePoint): PixelPoint {
  const pix = framePixelUm(g);
  const axis = axisPx(g);
  return {
    xPx: axis.xPx + (s.xUm - g.stageXUm) / pix,
    yPx: axis.yPx + (s.yUm - g.stageYUm) / pix,
  };
}

/** The stage rectangle a frame covers, µm (for tiles, mosaics and truth look-ups). */
export function frameRectUm(
  g: FrameGeometry,
  widthPx: number,
  heightPx: number,
): { xUm: number; yUm: number; widthUm: number; heightUm: number } {
  const pix = framePixelUm(g);
  const topLeft = pixelToStage(g, { xPx: -0.5, yPx: -0.5 });
  return { xUm: topLeft.xUm, yUm: topLeft.yUm, widthUm: widthPx * pix, heightUm: heightPx * pix };
}

/** Geometry of frames from `camera` as it is set now (its ROI is read once). */
export async function cameraGeometry(
  camera: Camera,
): Promise<(meta: Pick<FrameMeta, 'stage' | 'pixelSizeUm' | 'binning'>) => FrameGeometry> {
  const roi = await camera.getRoi();
  return (meta) => ({
    stageXUm: meta.stage.xUm,
    stageYUm: meta.stage.yUm,
    pixelSizeUm: meta.pixelSizeUm,
    binning: meta.binning,
    sensorWidthPx: camera.sensor.widthPx,
    sensorHeightPx: camera.sensor.heightPx,
    roi,
  });
}

/** Frame size (binned px, after the ROI) and binned pixel size (µm) of `camera` now. */
export async function cameraField(
  camera: Camera,
): Promise<{ widthPx: number; heightPx: number; pixelUm: number }> {
  const [binning, roi] = await Promise.all([camera.getBinning(), camera.getRoi()]);
  return {
    widthPx: roi?.widthPx ?? Math.floor(camera.sensor.widthPx / binning),
    heightPx: roi?.heightPx ?? Math.floor(camera.sensor.heightPx / binning),
    pixelUm: camera.sensor.pixelSizeUm * binning,
  };
}
