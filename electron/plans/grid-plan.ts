/**
 * Grid plan → the stage offsets (relative plans) or positions (absolute plans) it visits,
 * in µm, following useq-schema `_grid.py`. Step between tiles is fov − fov·overlap/100.
 * - GridRowsColumns / GridWidthHeight: relative, centred on the position or with the
 *   top-left tile at it; rows go towards −y.
 * - GridFromEdges: absolute; the edges bound the *images*, so the first tile centre is
 *   half a FOV inside the top-left corner (without a FOV: useq's older 1 µm fallback).
 * - GridFromPolygon: absolute; the bounding-box grid, keeping tiles touching the polygon.
 * - RandomPoints: see random-points.ts. A bare {x, y} is one relative offset.
 */
import { gridIndices } from './grid-order';
import { bounds, gridPolygonRing, intersectsRect, type Pt } from '../api/shared/polygon';
import { randomPoints } from './random-points';
import type { GridPlan } from './types';

export interface GridPoint {
  /** µm; relative to the current position when `relative`, else absolute stage coordinates. */
  x: number;
  y: number;
  relative: boolean;
  name: string;
}

export function gridIsRelative(plan: GridPlan): boolean {
  return plan.kind !== 'from_edges' && plan.kind !== 'from_polygon';
}

const name = (i: number) => String(i).padStart(4, '0');

function rowsCols(plan: GridPlan, dx: number, dy: number): [number, number] {
  switch (plan.kind) {
    case 'rows_columns':
      return [plan.rows, plan.columns];
    case 'width_height':
      return [Math.ceil(plan.height / dy), Math.ceil(plan.width / dx)];
    case 'from_edges': {
      const count = (span: number, fov: number | null, step: number) =>
        fov === null
          ? Math.ceil((span + step) / step)
          : span <= fov
            ? 1
            : Math.ceil((span - fov) / step) + 1;
      return [
        count(Math.abs(plan.top - plan.bottom), plan.fov_height, dy),
        count(Math.abs(plan.right - plan.left), plan.fov_width, dx),
      ];
    }
    default:
      return [1, 1];
  }
}

function origin(
  plan: GridPlan,
  rows: number,
  cols: number,
  dx: number,
  dy: number,
): [number, number] {
  if (plan.kind === 'from_edges')
    return [
      Math.min(plan.left, plan.right) + (plan.fov_width ?? 0) / 2,
      Math.max(plan.top, plan.bottom) - (plan.fov_height ?? 0) / 2,
    ];
  if (
    (plan.kind === 'rows_columns' || plan.kind === 'width_height') &&
    plan.relative_to === 'center'
  )
    return [-((cols - 1) * dx) / 2, ((rows - 1) * dy) / 2];
  return [0, 0];
}

/** The processed polygon: offset first, then convex hull, as useq does. */
export function polygonOf(plan: Extract<GridPlan, { kind: 'from_polygon' }>): Pt[] {
  return gridPolygonRing(plan.vertices, plan.offset, plan.convex_hull);
}

function polygonTiles(plan: Extract<GridPlan, { kind: 'from_polygon' }>): GridPoint[] {
  const w = plan.fov_width ?? 1;
  const h = plan.fov_height ?? 1;
  // Note: useq computes this step as w·(1 − overlap/100), not w − w·overlap/100.
  const dx = w * (1 - plan.overlap[0] / 100);
  const dy = h * (1 - plan.overlap[1] / 100);
  const poly = polygonOf(plan);
  const b = bounds(poly);
  const spanX = b.maxX - b.minX;
  const spanY = b.maxY - b.minY;
  const cols = spanX <= w ? 1 : Math.ceil((spanX - w) / dx) + 1;
  const rows = spanY <= h ? 1 : Math.ceil((spanY - h) / dy) + 1;
  const out: GridPoint[] = [];
  for (const [r, c] of gridIndices(plan.mode, rows, cols)) {
    const x = b.minX + w / 2 + c * dx;
    const y = b.maxY - h / 2 - r * dy;
    if (intersectsRect(poly, x - w / 2, y - h / 2, x + w / 2, y + h / 2))
      out.push({ x, y, relative: false, name: name(out.length) });
  }
  return out;
}

/** Positions of a grid plan whose fov_width/fov_height are already filled in where known. */
export function gridPoints(plan: GridPlan, random: () => number): GridPoint[] {
  if (plan.kind === 'relative_position')
    return [{ x: plan.x, y: plan.y, relative: true, name: '' }];
  if (plan.kind === 'random_points')
    return randomPoints(plan, random).map(([x, y], i) => ({ x, y, relative: true, name: name(i) }));
  if (plan.kind === 'from_polygon') return polygonTiles(plan);
  const fw = plan.fov_width ?? 1;
  const fh = plan.fov_height ?? 1;
  const dx = fw - (fw * plan.overlap[0]) / 100;
  const dy = fh - (fh * plan.overlap[1]) / 100;
  const [rows, cols] = rowsCols(plan, dx, dy);
  const [x0, y0] = origin(plan, rows, cols, dx, dy);
  const relative = gridIsRelative(plan);
  return gridIndices(plan.mode, rows, cols).map(([r, c], i) => ({
    x: x0 + c * dx,
    y: y0 - r * dy,
    relative,
    name: name(i),
  }));
}
