/**
 * Client side of the per-client view (electron/api/frame-view.ts): undoes the host's deflate
 * pre-filter (electron/remote/view-pyramid.ts: byteShuffle) and places a reduced view back
 * in full-image coordinates.
 */
import type { FrameView } from '../../electron/api/frame-view';

/**
 * A reduced frame placed back in full-image coordinates (imageW × imageH): each view pixel
 * fills its block, pixels outside the region are 0. The live view's overlays, ROI boxes and
 * click-to-move then work in image coordinates unchanged.
 */
export function expandView(
  reduced: Uint16Array | Uint8Array,
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

/** Inverse of byteShuffle (electron/remote/view-pyramid.ts) for uint16 words. */
export function byteUnshuffle(bytes: Uint8Array): Uint16Array {
  if (bytes.length % 2 !== 0) throw new Error(`shuffled pixels: odd byte count ${bytes.length}`);
  const n = bytes.length / 2;
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes[i]! | (bytes[n + i]! << 8);
  return out;
}

/** Inverse of byteShuffle for uint32 words (the histogram's counts). */
export function byteUnshuffle32(bytes: Uint8Array): Uint32Array {
  if (bytes.length % 4 !== 0) {
    throw new Error(`shuffled counts: ${bytes.length} bytes is not a multiple of 4`);
  }
  const n = bytes.length / 4;
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] =
      (bytes[i]! | (bytes[n + i]! << 8) | (bytes[2 * n + i]! << 16) | (bytes[3 * n + i]! << 24)) >>>
      0;
  }
  return out;
}
