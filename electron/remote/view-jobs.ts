/**
 * The view worker's jobs (./view.worker.ts; inline when the pool has no threads). The pyramid
 * lives in SharedArrayBuffers: level 0 is the frame's (./view-frames.ts), levels 1.. another.
 * The `pyramid` job builds the full-frame histogram and levels 1..`toLevel` (the coarsest any
 * client needs so far) once per frame, a `levels` job the deeper levels a later client needs,
 * and every client's `encode` job crops and encodes from them without copying the frame.
 */
import type { WireHistogram } from '../api/frame-view';
import type { DisplayWindow, FrameCodec, FrameView } from '../api/frame-view';
import { histogramToWire } from '../../renderer/display/histogram';
import {
  buildLevels,
  buildPyramid,
  cropView,
  encodeHistogramCounts,
  encodePixels,
  type PyramidBuffers,
} from './view-pyramid';

/** A frame's pyramid as the jobs get it: both buffers shared with the worker. */
export type ViewJobFrame = PyramidBuffers & { frame: SharedArrayBuffer; levels: SharedArrayBuffer };

export type ViewJob =
  | (ViewJobFrame & { kind: 'pyramid'; bitDepth: number; toLevel: number })
  | (ViewJobFrame & { kind: 'levels'; fromLevel: number; toLevel: number })
  | (ViewJobFrame & { kind: 'encode'; view: FrameView; codec: FrameCodec; window?: DisplayWindow });

export interface PyramidResult {
  histogram: WireHistogram;
  /** The histogram's counts as they follow the header (WireHistogram.bytes long). */
  counts: Uint8Array;
}
export interface EncodeResult {
  bytes: Uint8Array;
  /** Crop + encode time in the worker. */
  encodeMs: number;
}
export type ViewJobResult = PyramidResult | EncodeResult | null;

export function runViewJob(job: ViewJob): ViewJobResult {
  if (job.kind === 'pyramid') {
    const full = buildPyramid(job, job.bitDepth, job.toLevel);
    const { head, counts } = histogramToWire(full);
    const bytes = owned(encodeHistogramCounts(counts));
    return { histogram: { ...head, bytes: bytes.length }, counts: bytes };
  }
  if (job.kind === 'levels') {
    buildLevels(job, job.fromLevel, job.toLevel);
    return null;
  }
  const t0 = performance.now();
  const pixels = cropView(job, job.view);
  const bytes = owned(encodePixels(pixels, job.codec, job.window));
  return { bytes, encodeMs: performance.now() - t0 };
}

/** Bytes that own their buffer (zlib may hand out a view on a larger one), so they can be transferred. */
function owned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : bytes.slice();
}
