/**
 * The navigator's view of the stage: a screen pixel shows `umPerPx` µm, the canvas centre
 * shows stage point (centerXUm, centerYUm); stage +X runs right and +Y down. Screen points
 * are CSS pixels from the canvas's top-left corner. Pure maths, shared by the renderer, the
 * overlay, input handling and the tests.
 */
import type { Rect, Vec } from './frame-placement';

export interface MapView {
  centerXUm: number;
  centerYUm: number;
  umPerPx: number;
  /** Canvas size, CSS pixels. */
  widthPx: number;
  heightPx: number;
}

export const MIN_UM_PER_PX = 0.05;
export const MAX_UM_PER_PX = 2_000;

const clampScale = (s: number) => Math.min(MAX_UM_PER_PX, Math.max(MIN_UM_PER_PX, s));

export function stageToScreen(v: MapView, p: Vec): Vec {
  return {
    x: (p.x - v.centerXUm) / v.umPerPx + v.widthPx / 2,
    y: (p.y - v.centerYUm) / v.umPerPx + v.heightPx / 2,
  };
}

export function screenToStage(v: MapView, s: Vec): Vec {
  return {
    x: (s.x - v.widthPx / 2) * v.umPerPx + v.centerXUm,
    y: (s.y - v.heightPx / 2) * v.umPerPx + v.centerYUm,
  };
}

/** The stage rectangle the canvas shows. */
export function visibleRect(v: MapView): Rect {
  const a = screenToStage(v, { x: 0, y: 0 });
  const b = screenToStage(v, { x: v.widthPx, y: v.heightPx });
  return { x0: a.x, y0: a.y, x1: b.x, y1: b.y };
}

/** Drag by (dx, dy) screen pixels: the stage point under the pointer follows it. */
export function panMap(v: MapView, dx: number, dy: number): MapView {
  return { ...v, centerXUm: v.centerXUm - dx * v.umPerPx, centerYUm: v.centerYUm - dy * v.umPerPx };
}

/** Zoom by `factor` (> 1 magnifies) keeping the stage point under screen point `s` fixed. */
export function zoomMapAt(v: MapView, factor: number, s: Vec): MapView {
  const anchor = screenToStage(v, s);
  const umPerPx = clampScale(v.umPerPx / factor);
  return {
    ...v,
    umPerPx,
    centerXUm: anchor.x - (s.x - v.widthPx / 2) * umPerPx,
    centerYUm: anchor.y - (s.y - v.heightPx / 2) * umPerPx,
  };
}

/** The view that shows `r` whole, centred, with `marginFrac` of space around it. */
export function fitMap(r: Rect, widthPx: number, heightPx: number, marginFrac = 0.05): MapView {
  const w = Math.max(1, widthPx);
  const h = Math.max(1, heightPx);
  const umPerPx = clampScale(Math.max((r.x1 - r.x0) / w, (r.y1 - r.y0) / h) * (1 + 2 * marginFrac));
  return { centerXUm: (r.x0 + r.x1) / 2, centerYUm: (r.y0 + r.y1) / 2, umPerPx, widthPx, heightPx };
}

/**
 * CSS transform (origin top-left) that draws an element laid out in stage µm — one CSS
 * pixel per µm, stage origin at the element's origin — where the map shows the stage.
 */
export function stageLayerTransform(v: MapView): string {
  const o = stageToScreen(v, { x: 0, y: 0 });
  return `translate(${o.x}px, ${o.y}px) scale(${1 / v.umPerPx})`;
}
