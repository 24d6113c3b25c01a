/**
 * Host side of the per-client view (electron/api/frame-view.ts), pure: the frame's view
 * pyramid, the crop a client gets from it, and the payload codecs. Runs in the view worker
 * (./view.worker.ts via ./view-pool.ts). Inverses: renderer/frames/view-pixels.ts.
 */
import { deflateRawSync } from 'node:zlib';
import {
  MAX_VIEW_LEVEL,
  type DisplayWindow,
  type FrameCodec,
  type FrameView,
} from '../api/frame-view';
// The live view's own binning and window formula, so both sides agree exactly (pure modules).
import {
  fullHistogram,
  histogramOfValueCounts,
  type Histogram,
} from '../../renderer/display/histogram';
import { windowValue } from '../../renderer/display/lut';

/** zlib level 1: level 6 (permessage-deflate's default) is ~20× slower for frames a few % smaller (bench:remote). */
const DEFLATE_LEVEL = 1;

export interface PyramidLevel {
  /** Byte offset of the level's uint16 pixels in the levels buffer (level 0: in the frame's). */
  offset: number;
  widthPx: number;
  heightPx: number;
}

/**
 * A frame's pyramid: level 0 is the frame's own pixels (read in place, never written), levels
 * 1..MAX_VIEW_LEVEL lie one after the other in `levels` (pyramidLayout).
 */
export interface PyramidBuffers {
  frame: ArrayBufferLike;
  /** Byte offset of the frame's first pixel in `frame`. */
  frameOffset: number;
  levels: ArrayBufferLike;
  widthPx: number;
  heightPx: number;
}

/** Level L is ceil(size / 2^L); `bytes`: the size of the levels buffer (levels 1..MAX). */
export function pyramidLayout(w: number, h: number): { levels: PyramidLevel[]; bytes: number } {
  const levels: PyramidLevel[] = [{ offset: 0, widthPx: w, heightPx: h }];
  let offset = 0;
  for (let l = 1, lw = w, lh = h; l <= MAX_VIEW_LEVEL; l++) {
    lw = Math.ceil(lw / 2);
    lh = Math.ceil(lh / 2);
    levels.push({ offset, widthPx: lw, heightPx: lh });
    offset += lw * lh * 2;
  }
  return { levels, bytes: offset };
}

/** The pixels of level `l` (0..MAX_VIEW_LEVEL) of a pyramid. */
export function levelPixels(p: PyramidBuffers, l: number): Uint16Array {
  const level = pyramidLayout(p.widthPx, p.heightPx).levels[l];
  if (!level) throw new Error(`view level ${l} is not in the pyramid`);
  const n = level.widthPx * level.heightPx;
  return l === 0
    ? new Uint16Array(p.frame, p.frameOffset, n)
    : new Uint16Array(p.levels, level.offset, n);
}

/**
 * Fills levels `from`..`to` of a pyramid whose level 0 holds the frame and whose levels below
 * `from` are built: each pixel is the max of a 2×2 block of the level below (partial at the
 * edges). Max is associative, so level L equals reduceFrame's direct 2^L block max of the
 * frame on every 2^L-aligned region.
 */
export function buildLevels(p: PyramidBuffers, from: number, to: number): void {
  const { levels } = pyramidLayout(p.widthPx, p.heightPx);
  if (from < 1 || to >= levels.length) {
    throw new Error(`pyramid levels ${from}..${to} outside 1..${levels.length - 1}`);
  }
  for (let l = from; l <= to; l++) {
    const below = levels[l - 1]!;
    reduce2x2(levelPixels(p, l - 1), below.widthPx, below.heightPx, levelPixels(p, l), null);
  }
}

/**
 * One level from the one below (`sw`×`sh`): 2×2 block max. With `byValue`, also counts every
 * pixel of the level below by value (each once, edge blocks too), so level 1 and the frame's
 * histogram take one pass over the frame instead of two (about half the time).
 */
function reduce2x2(
  src: Uint16Array,
  sw: number,
  sh: number,
  dst: Uint16Array,
  byValue: Uint32Array | null,
): void {
  const dw = Math.ceil(sw / 2);
  const dh = Math.ceil(sh / 2);
  for (let y = 0; y < dh; y++) {
    const r0 = 2 * y * sw;
    const hasR1 = 2 * y + 1 < sh;
    const r1 = hasR1 ? r0 + sw : r0;
    const out = y * dw;
    for (let x = 0; x < dw; x++) {
      const x0 = 2 * x;
      const hasX1 = x0 + 1 < sw;
      const x1 = hasX1 ? x0 + 1 : x0;
      let m = src[r0 + x0]!;
      const b = src[r0 + x1]!;
      const c = src[r1 + x0]!;
      const d = src[r1 + x1]!;
      if (byValue) {
        byValue[m]!++;
        if (hasX1) byValue[b]!++;
        if (hasR1) byValue[c]!++;
        if (hasR1 && hasX1) byValue[d]!++;
      }
      if (b > m) m = b;
      if (c > m) m = c;
      if (d > m) m = d;
      dst[out + x] = m;
    }
  }
}

/** Levels 1..`to` (all by default) and the histogram of every level-0 pixel. */
export function buildPyramid(
  p: PyramidBuffers,
  bitDepth: number,
  to: number = MAX_VIEW_LEVEL,
): Histogram {
  const frame = levelPixels(p, 0);
  if (to < 1) return fullHistogram(frame, bitDepth);
  const byValue = new Uint32Array(65536);
  reduce2x2(frame, p.widthPx, p.heightPx, levelPixels(p, 1), byValue);
  if (to > 1) buildLevels(p, 2, to);
  return histogramOfValueCounts(byValue, frame.length, bitDepth);
}

/** A copy of the view's pixels out of the pyramid (the view's region is aligned to 2^level). */
export function cropView(p: PyramidBuffers, view: FrameView): Uint16Array {
  const src = levelPixels(p, view.level);
  const levelW = Math.ceil(p.widthPx / (1 << view.level));
  const out = new Uint16Array(view.widthPx * view.heightPx);
  const x0 = view.region.x >> view.level;
  const y0 = view.region.y >> view.level;
  for (let y = 0; y < view.heightPx; y++) {
    const from = (y0 + y) * levelW + x0;
    out.set(src.subarray(from, from + view.widthPx), y * view.widthPx);
  }
  return out;
}

/**
 * The view's pixels by the definition: each is the max of its 2^level block of the frame
 * (partial blocks at the image edge too). The reference the pyramid is tested against.
 */
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
 * Lossless pre-filter before deflate: byte k of every word, for k = 0 (low) up. Camera values
 * use few high bits, so the high-byte plane is long runs that deflate level 1 packs to almost
 * nothing; the same holds for the histogram's u32 counts. (Measured on the simulated camera by
 * bench:remote: a horizontal delta before the shuffle made frames larger — it doubles the
 * noise variance.) Inverse: renderer/frames/view-pixels.ts byteUnshuffle.
 */
export function byteShuffle(words: Uint16Array | Uint32Array): Uint8Array {
  const n = words.length;
  const size = words.BYTES_PER_ELEMENT;
  const out = new Uint8Array(n * size);
  if (size === 2) {
    for (let i = 0; i < n; i++) {
      const v = words[i]!;
      out[i] = v & 0xff;
      out[n + i] = v >> 8;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = words[i]!;
    for (let k = 0; k < size; k++) out[k * n + i] = (v >>> (8 * k)) & 0xff;
  }
  return out;
}

/** The bytes a wire histogram's counts go as (see WireHistogram). */
export function encodeHistogramCounts(counts: Uint32Array): Uint8Array {
  return deflateRawSync(byteShuffle(counts), { level: DEFLATE_LEVEL });
}

let lutCache: { key: string; table: Uint8Array } | null = null;

/** Each pixel through the display window: round(255 · windowValue(v)). */
export function windowTo8Bit(pixels: Uint16Array, window: DisplayWindow): Uint8Array {
  const key = `${window.min}|${window.max}|${window.gamma}`;
  if (lutCache?.key !== key) {
    const table = new Uint8Array(65536);
    for (let v = 0; v < 65536; v++) table[v] = Math.round(255 * windowValue(v, window));
    lutCache = { key, table };
  }
  const table = lutCache.table;
  const out = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i]!]!;
  return out;
}

/** The payload bytes of `pixels` in `codec` (`lut8` needs the window). */
export function encodePixels(
  pixels: Uint16Array,
  codec: FrameCodec,
  window?: DisplayWindow,
): Uint8Array {
  switch (codec) {
    case 'raw':
      return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
    case 'deflate':
      return deflateRawSync(byteShuffle(pixels), { level: DEFLATE_LEVEL });
    case 'lut8':
      if (!window) throw new Error('codec lut8 needs the display window');
      return deflateRawSync(windowTo8Bit(pixels, window), { level: DEFLATE_LEVEL });
  }
}
