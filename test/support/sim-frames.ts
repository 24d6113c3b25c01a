/**
 * Frames of a simulated single-channel camera as the dataset writer sees them: the metadata
 * of frame `seq` and its index in a one-position t × z series.
 */
import type { DatasetFrameMeta, FrameIndex } from '../../electron/storage/layout';

/** Frame `seq` of a `side`² 16-bit camera (0.1 µm pixels, 1 ms exposure, stage at 0, no lasers). */
export function simFrameMeta(seq: number, side: number): DatasetFrameMeta {
  return {
    seq,
    cameraSeq: seq,
    widthPx: side,
    heightPx: side,
    bitDepth: 16,
    binning: 1,
    pixelSizeUm: 0.1,
    exposureMs: 1,
    timestampMs: Date.now(),
    stage: { xUm: 0, yUm: 0, zUm: 0 },
    lasersMw: {},
    channel: 'sim',
  };
}

/** Frame `seq` of a t × z series with `zPlanes` planes per time point (z fastest). */
export function tzFrameIndex(seq: number, zPlanes: number): FrameIndex {
  return { p: 0, t: Math.floor(seq / zPlanes), c: 0, z: seq % zPlanes };
}
