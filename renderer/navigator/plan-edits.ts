/**
 * Plan edits made on the navigator's map, applied to the Acquire tab's plan form:
 * - a position move shifts the form's position of that name (markers carry the plan's
 *   `pos_name`, so every grid tile of a position moves it by the drag);
 * - a grid resize (dragging the grid's corner handle) sets the form's grid rows and columns
 *   to what fits the dragged extent (gridSizeFor);
 * - a vertex move (dragging an editable polygon outline's vertex) sets that vertex of a
 *   loaded plan's polygon grid (applyVertexMoves; the form has no polygons).
 */
import { isValidPolygon, type Pt } from '../../electron/api/shared/polygon';
import type { PlanForm } from '../ui/plan-builder';

export interface PositionMove {
  name: string;
  dxUm: number;
  dyUm: number;
}

export interface GridResize {
  grid: { rows: number; columns: number };
}

export interface VertexMove {
  vertex: {
    /** The grid's place (GridOutlineView.position): null for the plan's own grid plan. */
    position: number | null;
    index: number;
    xUm: number;
    yUm: number;
  };
}

export type PlanEdit = PositionMove | GridResize | VertexMove;

/** Returns the form with the edits applied, and the position names no form position has. */
export function applyPositionMoves(
  form: PlanForm,
  edits: readonly PlanEdit[],
): { form: PlanForm; unknown: string[] } {
  const unknown: string[] = [];
  let out = form;
  for (const e of edits) {
    if ('vertex' in e) continue;
    if ('grid' in e) {
      out = {
        ...out,
        grid: { ...out.grid, rows: String(e.grid.rows), columns: String(e.grid.columns) },
      };
      continue;
    }
    const i = out.positions.findIndex((p) => p.name === e.name);
    if (i < 0) {
      unknown.push(e.name);
      continue;
    }
    out = {
      ...out,
      positions: out.positions.map((p, j) =>
        j === i ? { ...p, xUm: p.xUm + e.dxUm, yUm: p.yUm + e.dyUm } : p,
      ),
    };
  }
  return { form: out, unknown };
}

/**
 * Tiles along one axis that a grid spanning `extentUm` (outer edge to outer edge) holds with
 * fields `fovUm` wide overlapping by `overlapPct` %: at least 1.
 */
export function gridSizeFor(extentUm: number, fovUm: number, overlapPct: number): number {
  const step = fovUm * (1 - overlapPct / 100);
  if (!(step > 0)) return 1;
  return Math.max(1, Math.round((extentUm - fovUm) / step) + 1);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Returns a copy of a loaded plan (useq MDASequence JSON) with the vertex moves applied, and
 * how many found no such polygon vertex. A ring given closed (last vertex = first) keeps
 * its closing vertex on the first. The host re-checks the result (plan.positions).
 */
export function applyVertexMoves(
  plan: Record<string, unknown>,
  edits: readonly PlanEdit[],
): { plan: Record<string, unknown>; missed: number; refused: number } {
  const out = structuredClone(plan);
  let missed = 0;
  // A move that would make the ring self-intersecting (or flat) is not applied: the host
  // would refuse the plan, leaving no outline on the map to drag back.
  let refused = 0;
  for (const e of edits) {
    if (!('vertex' in e)) continue;
    const { position, index, xUm, yUm } = e.vertex;
    const holder =
      position === null ? out : (out.stage_positions as unknown[] | undefined)?.[position];
    const seq = position === null ? holder : isRecord(holder) ? holder.sequence : undefined;
    const grid = isRecord(seq) ? seq.grid_plan : undefined;
    const vs = isRecord(grid) ? grid.vertices : undefined;
    if (!isRecord(grid) || !Array.isArray(vs) || index < 0 || index >= vs.length) {
      missed++;
      continue;
    }
    const first = vs[0] as unknown[];
    const last = vs[vs.length - 1] as unknown[];
    const closed = vs.length > 3 && first[0] === last[0] && first[1] === last[1];
    const moved = vs.map((v) => [...(v as number[])] as Pt);
    moved[index] = [xUm, yUm];
    if (closed && index === 0) moved[moved.length - 1] = [xUm, yUm];
    if (!isValidPolygon(moved)) {
      refused++;
      continue;
    }
    grid.vertices = moved;
  }
  return { plan: out, missed, refused };
}
