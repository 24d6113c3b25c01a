/**
 * A received frame → where it goes on the map and which channel it shows. Pure.
 * - Position: the frame's own `meta.stage` (taken with the frame, so run and automation
 *   frames land where they were taken). A camera ROI shifts the frame's centre from the
 *   sensor's centre; FrameMeta has no ROI offset, so the camera state's ROI is used when its
 *   size matches the frame.
 * - Channel: the preset whose laser emitted during the exposure (meta.lasersMw > 0, else
 *   dose > 0); with no light, the active preset; else "dark".
 */
import type {
  CameraOrientation,
  CameraState,
  ChannelPreset,
  FrameMeta,
} from '../../electron/api/contract';
import { imageToStageOffset, type FrameGeometry } from './frame-placement';

export const DARK_CHANNEL = 'dark';

/** What frameGeometry reads: a frame's metadata, or the live field of view's equivalent. */
export type FrameFields = Pick<FrameMeta, 'widthPx' | 'heightPx' | 'pixelSizeUm' | 'binning'> & {
  stage: { xUm: number; yUm: number };
};

export function frameGeometry(
  meta: FrameFields,
  camera: CameraState | null,
  o: CameraOrientation,
): FrameGeometry {
  const umPerPx = meta.pixelSizeUm * meta.binning;
  let cx = meta.stage.xUm;
  let cy = meta.stage.yUm;
  const roi = camera?.roi;
  if (camera && roi && roi.widthPx === meta.widthPx && roi.heightPx === meta.heightPx) {
    const sensorW = Math.floor(camera.widthPx / meta.binning);
    const sensorH = Math.floor(camera.heightPx / meta.binning);
    const d = imageToStageOffset(o, {
      x: (roi.xPx + roi.widthPx / 2 - sensorW / 2) * umPerPx,
      y: (roi.yPx + roi.heightPx / 2 - sensorH / 2) * umPerPx,
    });
    cx += d.x;
    cy += d.y;
  }
  return { widthPx: meta.widthPx, heightPx: meta.heightPx, umPerPx, centerXUm: cx, centerYUm: cy };
}

/** The field of view the camera would image now at the stage position (binning, ROI). */
export function liveField(
  camera: CameraState,
  stage: { xUm: number; yUm: number },
  o: CameraOrientation,
): FrameGeometry {
  const b = camera.binning;
  return frameGeometry(
    {
      widthPx: camera.roi?.widthPx ?? Math.floor(camera.widthPx / b),
      heightPx: camera.roi?.heightPx ?? Math.floor(camera.heightPx / b),
      pixelSizeUm: camera.pixelSizeUm,
      binning: b,
      stage,
    },
    camera,
    o,
  );
}

export function frameChannel(
  meta: Pick<FrameMeta, 'lasersMw' | 'doseMwMs'>,
  presets: readonly ChannelPreset[],
  activeChannel: string | null,
): string {
  const lit =
    Object.entries(meta.lasersMw).find(([, mw]) => mw > 0)?.[0] ??
    Object.entries(meta.doseMwMs ?? {}).find(([, dose]) => dose > 0)?.[0];
  if (lit !== undefined) {
    const preset =
      presets.find((p) => p.laserId === lit && p.name === activeChannel) ??
      presets.find((p) => p.laserId === lit);
    return preset?.name ?? lit;
  }
  return activeChannel ?? DARK_CHANNEL;
}

/** Channel colours for multi-channel mosaics, in order of first appearance. */
export const CHANNEL_TINTS: readonly (readonly [number, number, number])[] = [
  [0.2, 1, 0.2],
  [1, 0.2, 1],
  [0.2, 0.9, 1],
  [1, 0.3, 0.2],
  [0.3, 0.4, 1],
  [1, 0.9, 0.2],
];

export function channelTints(
  channels: readonly string[],
): Map<string, readonly [number, number, number]> {
  return new Map(channels.map((c, i) => [c, CHANNEL_TINTS[i % CHANNEL_TINTS.length]!]));
}
