/**
 * The per-client view of a display frame (pure; used by the host to reduce frames and by the
 * renderer to place them). A client that sent a `view` message receives the level and region
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

export const MAX_VIEW_LEVEL = 6;

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

/** The view's pixels: each is the max of its block (partial blocks at the image edge too). */
export function reduceFrame(pixels: Uint16Array, imageW: number, view: FrameView): Uint16Array {
  const { level, region, widthPx, heightPx } = view;
  const b = 1 << level;
  const out = new Uint16Array(widthPx * heightPx);
  const xEnd = region.x + region.width;
  const yEnd = region.y + region.height;
  for (let oy = 0; oy < heightPx; oy++) {
    const rowOut = oy * widthPx;
    const sy0 = region.y + oy * b;
    const sy1 = Math.min(yEnd, sy0 + b);
    for (let sy = sy0; sy < sy1; sy++) {
      const rowIn = sy * imageW;
      for (let ox = 0; ox < widthPx; ox++) {
        const sx0 = region.x + ox * b;
        const sx1 = Math.min(xEnd, sx0 + b);
        let m = out[rowOut + ox]!;
        for (let sx = sx0; sx < sx1; sx++) {
          const v = pixels[rowIn + sx]!;
          if (v > m) m = v;
        }
        out[rowOut + ox] = m;
      }
    }
  }
  return out;
}

/**
 * A reduced frame placed back in full-image coordinates (imageW × imageH): each view pixel
 * fills its block, pixels outside the region are 0. The live view's overlays, ROI boxes and
 * click-to-move then work in image coordinates unchanged.
 */
export function expandView(
  reduced: Uint16Array,
  view: FrameView,
  imageW: number,
  imageH: number,
): Uint16Array {
  const { level, region, widthPx } = view;
  const out = new Uint16Array(imageW * imageH);
  for (let y = region.y; y < region.y + region.height; y++) {
    const rowIn = ((y - region.y) >> level) * widthPx;
    const rowOut = y * imageW;
    for (let x = region.x; x < region.x + region.width; x++) {
      out[rowOut + x] = reduced[rowIn + ((x - region.x) >> level)]!;
    }
  }
  return out;
}

/**
 * Lossless pre-filter for the deflate codec: horizontal delta per row (mod 2^16), then the
 * low bytes of all pixels followed by the high bytes. Neighbouring camera pixels differ by
 * little, so the high-byte plane is mostly 0x00/0xFF runs that deflate level 1 packs well.
 */
export function shuffleDelta(pixels: Uint16Array, widthPx: number): Uint8Array {
  const n = pixels.length;
  const out = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const prev = i % widthPx === 0 ? 0 : pixels[i - 1]!;
    const d = (pixels[i]! - prev) & 0xffff;
    out[i] = d & 0xff;
    out[n + i] = d >> 8;
  }
  return out;
}

/** Inverse of shuffleDelta. */
export function unshuffleDelta(bytes: Uint8Array, widthPx: number): Uint16Array {
  if (bytes.length % 2 !== 0) throw new Error(`shuffled pixels: odd byte count ${bytes.length}`);
  const n = bytes.length / 2;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const d = bytes[i]! | (bytes[n + i]! << 8);
    const prev = i % widthPx === 0 ? 0 : out[i - 1]!;
    out[i] = (prev + d) & 0xffff;
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

export const FRAME_CODECS = ['raw', 'deflate'] as const;
export type FrameCodec = (typeof FRAME_CODECS)[number];

/**
 * What an "AQF2" frame header carries beside the FrameMeta (whose widthPx/heightPx stay the
 * full image's): the view the pixels cover, their codec and the byte length of the payload.
 */
export interface WireView extends FrameView {
  codec: FrameCodec;
  payloadBytes: number;
}
