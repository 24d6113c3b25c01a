/**
 * The view worker's jobs (./view.worker.ts; inline when the pool has no threads). The pyramid
 * lives in a SharedArrayBuffer the host fills with the frame once: the `pyramid` job builds
 * levels 1..MAX and the full-frame histogram into it once per frame, then every client's
 * `encode` job crops and encodes from it without copying the frame again.
 */
import type { WireHistogram } from '../api/frame-view';
import type { DisplayWindow, FrameCodec, FrameView } from '../api/frame-view';
import { buildPyramid, cropView, encodePixels } from './view-pyramid';

interface FrameRef {
  buffer: SharedArrayBuffer;
  widthPx: number;
  heightPx: number;
}

export type ViewJob =
  | (FrameRef & { kind: 'pyramid'; bitDepth: number })
  | (FrameRef & { kind: 'encode'; view: FrameView; codec: FrameCodec; window?: DisplayWindow });

export interface PyramidResult {
  histogram: WireHistogram;
}
export interface EncodeResult {
  bytes: Uint8Array;
  /** Crop + encode time in the worker. */
  encodeMs: number;
}
export type ViewJobResult = PyramidResult | EncodeResult;

export function runViewJob(job: ViewJob): ViewJobResult {
  if (job.kind === 'pyramid') {
    return { histogram: buildPyramid(job.buffer, job.widthPx, job.heightPx, job.bitDepth) };
  }
  const t0 = performance.now();
  const pixels = cropView(job.buffer, job.widthPx, job.heightPx, job.view);
  const encoded = encodePixels(pixels, job.codec, job.window);
  // Own the bytes (zlib may hand out a view on a larger buffer) so they can be transferred.
  const bytes =
    encoded.byteOffset === 0 && encoded.byteLength === encoded.buffer.byteLength
      ? encoded
      : encoded.slice();
  return { bytes, encodeMs: performance.now() - t0 };
}
