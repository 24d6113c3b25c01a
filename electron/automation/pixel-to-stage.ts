/**
 * Frame pixel ↔ stage µm: the one conversion automation uses (ROI positions and "Go to",
 * FLImP tile grids and ROI centring, drift from registration shifts). Pixel coordinates: x
 * right, y down, pixel (i, j) centred at (i, j) — so an intensity-weighted centroid over
 * pixel indices is a pixel coordinate as is, and the frame's top-left pixel spans
 * [−0.5, 0.5).
 *
 * Mapping: the stage position is the sample point imaged at the centre of the full binned
 * sensor (the optical axis); a sample point (dx, dy) µm from it is imaged at the offset the
 * config's `stageOrientation` gives (electron/config/stage-orientation.ts: turned
 * (dx, dy) → (−dy, dx) when rotate90, then flipped), in image axes from the sensor centre.
 * With the identity orientation (the default) image +x is stage +x and image +y (down) is
 * stage +y. The simulated camera renders with the same mapping (drivers/sim/optics.ts
 * imageOffsetUm, its mount set from the config), and the UI's jog pad and navigator read the
 * same setting (renderer/input/stage-orientation.ts, renderer/navigator/frame-placement.ts).
 */
import type { Camera, RoiPx } from '../../drivers/devices';
import type { FrameMeta, StageOrientation } from '../api/contract';
import { fieldExtentUm, imageToStageOffset, stageToImageOffset } from '../api/shared/orientation';

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
  /** The config's stage-to-camera orientation. */
  orientation: StageOrientation;
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
  const d = imageToStageOffset(g.orientation, (p.xPx - axis.xPx) * pix, (p.yPx - axis.yPx) * pix);
  return { xUm: g.stageXUm + d.xUm, yUm: g.stageYUm + d.yUm };
}

export function stageToPixel(g: FrameGeometry, s: StagePoint): PixelPoint {
  const pix = framePixelUm(g);
  const axis = axisPx(g);
  const d = stageToImageOffset(g.orientation, s.xUm - g.stageXUm, s.yUm - g.stageYUm);
  return { xPx: axis.xPx + d.uUm / pix, yPx: axis.yPx + d.vUm / pix };
}

/**
 * The stage rectangle a frame of widthPx × heightPx covers, µm ({xUm, yUm} is its corner of
 * least x and y; for tiles, mosaics and truth look-ups).
 */
export function frameRectUm(
  g: FrameGeometry,
  widthPx: number,
  heightPx: number,
): { xUm: number; yUm: number; widthUm: number; heightUm: number } {
  const a = pixelToStage(g, { xPx: -0.5, yPx: -0.5 });
  const b = pixelToStage(g, { xPx: widthPx - 0.5, yPx: heightPx - 0.5 });
  const size = fieldExtentUm(g.orientation, widthPx, heightPx, framePixelUm(g));
  return {
    xUm: Math.min(a.xUm, b.xUm),
    yUm: Math.min(a.yUm, b.yUm),
    widthUm: size.xUm,
    heightUm: size.yUm,
  };
}

/** Geometry of frames from `camera` as it is set now (its ROI is read once). */
export async function cameraGeometry(
  camera: Camera,
  orientation: StageOrientation,
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
    orientation,
  });
}

/**
 * Frame size (binned px, after the ROI) and binned pixel size (µm) of `camera` now, with the
 * orientation its frames are placed on the stage by.
 */
export async function cameraField(
  camera: Camera,
  orientation: StageOrientation,
): Promise<{ widthPx: number; heightPx: number; pixelUm: number; orientation: StageOrientation }> {
  const [binning, roi] = await Promise.all([camera.getBinning(), camera.getRoi()]);
  return {
    widthPx: roi?.widthPx ?? Math.floor(camera.sensor.widthPx / binning),
    heightPx: roi?.heightPx ?? Math.floor(camera.sensor.heightPx / binning),
    pixelUm: camera.sensor.pixelSizeUm * binning,
    orientation,
  };
}
