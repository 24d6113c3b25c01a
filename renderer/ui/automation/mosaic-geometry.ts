/**
 * Geometry of the mosaic overview, in stage µm (x right, y down as in the image). Tiles form
 * the plan's rows × columns grid around its centre, neighbours `overlap` of a field apart
 * (the runner's scan; order does not matter here). Pure.
 */
import type { CameraState } from '../../../electron/api/contract';
import { getField, type FlimpPlan } from './flimp-plan-fields';

export interface RectUm {
  xUm: number;
  yUm: number;
  widthUm: number;
  heightUm: number;
}

export interface ScanGrid {
  centreUm: { xUm: number; yUm: number };
  columns: number;
  rows: number;
  overlap: number;
  fieldUm: { widthUm: number; heightUm: number };
}

/** Tile rectangles (top-left corner and size), row by row. */
export function tileRects(g: ScanGrid): RectUm[] {
  const dx = g.fieldUm.widthUm * (1 - g.overlap);
  const dy = g.fieldUm.heightUm * (1 - g.overlap);
  const out: RectUm[] = [];
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.columns; c++) {
      const cx = g.centreUm.xUm + (c - (g.columns - 1) / 2) * dx;
      const cy = g.centreUm.yUm + (r - (g.rows - 1) / 2) * dy;
      out.push({
        xUm: cx - g.fieldUm.widthUm / 2,
        yUm: cy - g.fieldUm.heightUm / 2,
        widthUm: g.fieldUm.widthUm,
        heightUm: g.fieldUm.heightUm,
      });
    }
  }
  return out;
}

/** Smallest rectangle holding the rects and points, grown by `marginUm` (null if empty). */
export function boundsOf(
  rects: readonly RectUm[],
  points: readonly { xUm: number; yUm: number }[],
  marginUm: number,
): RectUm | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    x0 = Math.min(x0, r.xUm);
    y0 = Math.min(y0, r.yUm);
    x1 = Math.max(x1, r.xUm + r.widthUm);
    y1 = Math.max(y1, r.yUm + r.heightUm);
  }
  for (const p of points) {
    x0 = Math.min(x0, p.xUm);
    y0 = Math.min(y0, p.yUm);
    x1 = Math.max(x1, p.xUm);
    y1 = Math.max(y1, p.yUm);
  }
  if (x0 === Infinity) return null;
  return {
    xUm: x0 - marginUm,
    yUm: y0 - marginUm,
    widthUm: x1 - x0 + 2 * marginUm,
    heightUm: y1 - y0 + 2 * marginUm,
  };
}

/** Uniform scale fitting `bounds` into a box of `sizePx`, centred; and its inverse. */
export function fitMapping(bounds: RectUm, sizePx: { widthPx: number; heightPx: number }) {
  const k = Math.min(sizePx.widthPx / bounds.widthUm, sizePx.heightPx / bounds.heightUm);
  const ox = (sizePx.widthPx - bounds.widthUm * k) / 2;
  const oy = (sizePx.heightPx - bounds.heightUm * k) / 2;
  return {
    pxPerUm: k,
    toPx: (xUm: number, yUm: number) => ({
      x: ox + (xUm - bounds.xUm) * k,
      y: oy + (yUm - bounds.yUm) * k,
    }),
    toUm: (x: number, y: number) => ({
      xUm: bounds.xUm + (x - ox) / k,
      yUm: bounds.yUm + (y - oy) / k,
    }),
  };
}

/**
 * The scan grid of a plan as started: its centre (or the stage position at start when the
 * plan has none) and the camera's field — full sensor / binning, or its ROI, at
 * pixelSizeUm × binning. Null when the plan's scan fields are not usable numbers.
 */
export function gridFromPlan(
  plan: FlimpPlan,
  stageAtStart: { xUm: number; yUm: number } | null,
  camera: Pick<CameraState, 'widthPx' | 'heightPx' | 'pixelSizeUm' | 'binning' | 'roi'> | null,
): ScanGrid | null {
  const num = (path: string, fallback?: number) => {
    const v = getField(plan, path);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  };
  const columns = num('scan.columns');
  const rows = num('scan.rows');
  const overlap = num('scan.overlap', 0);
  const cx = num('scan.centreUm.xUm', stageAtStart?.xUm);
  const cy = num('scan.centreUm.yUm', stageAtStart?.yUm);
  if (!camera || columns === undefined || rows === undefined || overlap === undefined) return null;
  if (cx === undefined || cy === undefined) return null;
  const pixelUm = camera.pixelSizeUm * camera.binning;
  const wPx = camera.roi?.widthPx ?? Math.floor(camera.widthPx / camera.binning);
  const hPx = camera.roi?.heightPx ?? Math.floor(camera.heightPx / camera.binning);
  return {
    centreUm: { xUm: cx, yUm: cy },
    columns,
    rows,
    overlap,
    fieldUm: { widthUm: wPx * pixelUm, heightUm: hPx * pixelUm },
  };
}
