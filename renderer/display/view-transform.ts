/**
 * Zoom/pan of the image inside the live-view canvas, in CSS pixels with y down.
 * Screen point s shows image point (s − offset) / scale; image pixel (x, y) covers
 * [x, x+1) × [y, y+1).
 */
export interface ViewTransform {
  /** Screen pixels per image pixel. */
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;

export function fitView(imageW: number, imageH: number, canvasW: number, canvasH: number) {
  const scale = clampScale(Math.min(canvasW / imageW, canvasH / imageH));
  return {
    scale,
    offsetX: (canvasW - imageW * scale) / 2,
    offsetY: (canvasH - imageH * scale) / 2,
  } satisfies ViewTransform;
}

function clampScale(s: number): number {
  if (!Number.isFinite(s) || s <= 0) return 1;
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

/** Zooms by `factor` keeping the image point under screen point (sx, sy) fixed. */
export function zoomAt(v: ViewTransform, factor: number, sx: number, sy: number): ViewTransform {
  const scale = clampScale(v.scale * factor);
  const k = scale / v.scale;
  return { scale, offsetX: sx - (sx - v.offsetX) * k, offsetY: sy - (sy - v.offsetY) * k };
}

export function panBy(v: ViewTransform, dx: number, dy: number): ViewTransform {
  return { ...v, offsetX: v.offsetX + dx, offsetY: v.offsetY + dy };
}

export function screenToImage(v: ViewTransform, sx: number, sy: number) {
  return { x: (sx - v.offsetX) / v.scale, y: (sy - v.offsetY) / v.scale };
}

/** The integer pixel under a screen point, or null outside the image. */
export function pixelAt(
  v: ViewTransform,
  sx: number,
  sy: number,
  imageW: number,
  imageH: number,
): { x: number; y: number } | null {
  const p = screenToImage(v, sx, sy);
  const x = Math.floor(p.x);
  const y = Math.floor(p.y);
  if (x < 0 || y < 0 || x >= imageW || y >= imageH) return null;
  return { x, y };
}

/** Wheel delta (pixels, deltaMode 0) → zoom factor; one notch (~100 px) ≈ ×1.2. */
export function wheelZoomFactor(deltaY: number): number {
  return Math.pow(1.2, -deltaY / 100);
}

/** A wheel event's zoom factor, its delta first taken to pixels (lines ≈ 33 px, pages ≈ 400). */
export function wheelEventZoomFactor(ev: { deltaY: number; deltaMode: number }): number {
  const k = ev.deltaMode === 1 ? 33 : ev.deltaMode === 2 ? 400 : 1;
  return wheelZoomFactor(ev.deltaY * k);
}

/**
 * CSS transform (origin top-left) that puts an element laid out in image pixels — one CSS
 * pixel per image pixel — where the view draws the image.
 */
export function imageLayerTransform(v: ViewTransform): string {
  return `translate(${v.offsetX}px, ${v.offsetY}px) scale(${v.scale})`;
}

/**
 * The transform that draws a reduced view's own pixels (FrameView: `region` at 2^level image
 * pixels per texel) where the full image would be drawn by `v`.
 */
export function placeView(
  v: ViewTransform,
  shown: { level: number; region: { x: number; y: number } },
): ViewTransform {
  return {
    scale: v.scale * (1 << shown.level),
    offsetX: v.offsetX + v.scale * shown.region.x,
    offsetY: v.offsetY + v.scale * shown.region.y,
  };
}
