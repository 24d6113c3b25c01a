/**
 * The per-client view of a display frame (pure): the plan of what a client gets. The host
 * reduces and filters (electron/remote/view-pyramid.ts), the renderer inverts and places the
 * result (renderer/frames/view-pixels.ts). A client that sent a `view` message receives the level and region
 * that fit its canvas: level L means blocks of 2^L × 2^L camera pixels reduced by their
 * MAXIMUM. Max, not mean: a single molecule's spot is 2–3 camera pixels wide, so a mean over
 * a 4×4 or 8×8 block dims it below the background noise and the fitted view would hide the
 * emitters the operator is looking for; the max keeps every spot at its peak value. The cost
 * is a lifted background (the max of N noise samples), which is why readout, histogram and
 * auto-contrast must not be computed from a reduced frame.
 */

/** A rectangle in full-resolution image pixels. */
export interface ImageRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What a client can show: its canvas in device pixels and the image region visible in it. */
export interface ViewRequest {
  canvasWidthPx: number;
  canvasHeightPx: number;
  /** Omitted: the whole image. */
  region?: ImageRegion;
}

/** The reduced frame a client gets: `region` is aligned to 2^level and clamped to the image. */
export interface FrameView {
  level: number;
  region: ImageRegion;
  /** Size of the reduced pixel array: ceil(region / 2^level). */
  widthPx: number;
  heightPx: number;
}

export const MAX_VIEW_LEVEL = 6 as const;

/**
 * The coarsest level whose pixels are still no larger than the client's canvas pixels, over
 * the visible region (level 0 — exact camera pixels — at 1:1 or closer).
 */
export function planView(imageW: number, imageH: number, req: ViewRequest): FrameView {
  const r = req.region ?? { x: 0, y: 0, width: imageW, height: imageH };
  const x0 = clamp(Math.floor(r.x), 0, imageW - 1);
  const y0 = clamp(Math.floor(r.y), 0, imageH - 1);
  const x1 = clamp(Math.ceil(r.x + r.width), x0 + 1, imageW);
  const y1 = clamp(Math.ceil(r.y + r.height), y0 + 1, imageH);
  const ratio = Math.max(
    (x1 - x0) / Math.max(1, req.canvasWidthPx),
    (y1 - y0) / Math.max(1, req.canvasHeightPx),
  );
  // Round down: the client's canvas never gets fewer pixels than it displays.
  const level = ratio <= 1 ? 0 : Math.min(MAX_VIEW_LEVEL, Math.floor(Math.log2(ratio)));
  const b = 1 << level;
  const ax0 = Math.floor(x0 / b) * b;
  const ay0 = Math.floor(y0 / b) * b;
  const ax1 = Math.min(imageW, Math.ceil(x1 / b) * b);
  const ay1 = Math.min(imageH, Math.ceil(y1 / b) * b);
  const region = { x: ax0, y: ay0, width: ax1 - ax0, height: ay1 - ay0 };
  return {
    level,
    region,
    widthPx: Math.ceil(region.width / b),
    heightPx: Math.ceil(region.height / b),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Payload codecs: `raw` uint16 LE; `deflate` byte-shuffled uint16 deflated (lossless);
 * `lut8` the client's display window applied on the host (DisplayWindow below), one byte per
 * pixel, deflated — what the screen shows, not camera values (readout and histogram come from
 * the host's full frame instead).
 */
export const FRAME_CODECS = ['raw', 'deflate', 'lut8'] as const;
export type FrameCodec = (typeof FRAME_CODECS)[number];
/** What a client may ask for: a codec, or `auto` — the host picks per frame from the link. */
export const VIEW_CODECS = [...FRAME_CODECS, 'auto'] as const;
export type ViewCodec = (typeof VIEW_CODECS)[number];

/**
 * The display window: value v shows as t = clamp((v − min)/(max − min), 0, 1)^gamma (the
 * live view's shader and renderer/display/lut.ts: windowValue, which the host's lut8 codec
 * uses too).
 */
export interface DisplayWindow {
  min: number;
  max: number;
  gamma: number;
}

/**
 * A histogram (renderer/display/histogram.ts) in an "AQF2" header. Only the bins from the
 * first to the last non-zero one are sent, and not as JSON: their counts follow the header as
 * `bytes` bytes of u32 LE counts, byte-shuffled (4 planes) and deflated (raw) — ~3 KB instead
 * of ~12 KB of JSON for the simulated camera (bench:remote).
 */
export interface WireHistogram {
  binWidth: number;
  rangeMax: number;
  samples: number;
  minValue: number;
  maxValue: number;
  /** Index of the first sent count among all rangeMax / binWidth bins. */
  firstBin: number;
  /** How many counts are sent. */
  bins: number;
  /** Byte length of the deflated counts between the header and the payload. */
  bytes: number;
}

/**
 * What an "AQF2" frame header carries beside the FrameMeta (whose widthPx/heightPx stay the
 * full image's): the view the pixels cover, their codec, the byte length of the payload, the
 * full frame's histogram (every pixel) and, for `lut8`, the window applied.
 */
export interface WireView extends FrameView {
  codec: FrameCodec;
  payloadBytes: number;
  histogram?: WireHistogram;
  window?: DisplayWindow;
}
