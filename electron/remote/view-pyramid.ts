/**
 * Host side of the per-client view (electron/api/frame-view.ts): the block-max reduction and
 * the lossless pre-filter of the deflate codec. Inverses: renderer/frames/view-pixels.ts.
 */
import type { FrameView } from '../api/frame-view';

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
 * Lossless pre-filter for the deflate codec: the low bytes of all pixels, then the high
 * bytes. Camera values use few high bits, so the high-byte plane is long runs that deflate
 * level 1 packs to almost nothing. (Measured on the simulated camera by bench:remote: a
 * horizontal delta before the shuffle made frames larger — it doubles the noise variance.)
 */
export function byteShuffle(pixels: Uint16Array): Uint8Array {
  const n = pixels.length;
  const out = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const v = pixels[i]!;
    out[i] = v & 0xff;
    out[n + i] = v >> 8;
  }
  return out;
}
