/**
 * Plan edits made on the navigator's map, applied to the Acquire tab's plan form:
 * - a position move shifts the form's position of that name (markers carry the plan's
 *   `pos_name`, so every grid tile of a position moves it by the drag);
 * - a reorder (a marker Shift-dragged onto another position's) moves that form position to
 *   the other's place in the visiting order;
 * - a grid resize (dragging the grid's corner handle) sets the form's grid rows and columns
 *   to what fits the dragged extent (gridSizeFor);
 * - an outline edit (a polygon's vertex moved, inserted or deleted, or a whole polygon or
 *   edge grid moved) changes a loaded plan's grid (applyOutlineEdits; the form has no
 *   polygons).
 */
import { openRing, type Pt } from '../../electron/api/shared/polygon';
import { editRing, type RingEdit } from './ring-edits';
import type { PlanPosition } from '../../electron/api/contract';
import type { PlanForm } from '../ui/plan-builder';

export interface PositionMove {
  name: string;
  dxUm: number;
  dyUm: number;
}

/** The position `name` takes `target`'s place in the visiting order (the others keep theirs). */
export interface PositionReorder {
  reorder: { name: string; target: string };
}

export interface GridResize {
  grid: { rows: number; columns: number };
}

export interface OutlineEdit {
  outline: {
    /** The grid's place (GridOutlineView.position): null for the plan's own grid plan. */
    position: number | null;
    edit: RingEdit;
  };
}

export type PlanEdit = PositionMove | PositionReorder | GridResize | OutlineEdit;

/** Returns the form with the edits applied, and the position names no form position has. */
export function applyPositionMoves(
  form: PlanForm,
  edits: readonly PlanEdit[],
): { form: PlanForm; unknown: string[] } {
  const unknown: string[] = [];
  let out = form;
  for (const e of edits) {
    if ('outline' in e) continue;
    if ('grid' in e) {
      out = {
        ...out,
        grid: { ...out.grid, rows: String(e.grid.rows), columns: String(e.grid.columns) },
      };
      continue;
    }
    if ('reorder' in e) {
      const from = out.positions.findIndex((p) => p.name === e.reorder.name);
      const to = out.positions.findIndex((p) => p.name === e.reorder.target);
      if (from < 0 || to < 0) {
        unknown.push(from < 0 ? e.reorder.name : e.reorder.target);
        continue;
      }
      const positions = [...out.positions];
      positions.splice(to, 0, ...positions.splice(from, 1));
      out = { ...out, positions };
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
 * The position whose marker a drag of `name`'s marker was dropped on: the nearest marker of
 * another named position within `radiusUm` of the drop point (any tile of a grid counts).
 */
export function dropTarget(
  plan: readonly PlanPosition[],
  name: string,
  xUm: number,
  yUm: number,
  radiusUm: number,
): string | null {
  let best: string | null = null;
  let bestD = radiusUm;
  for (const q of plan) {
    if (q.name === undefined || q.name === name) continue;
    const d = Math.hypot(q.xUm - xUm, q.yUm - yUm);
    if (d <= bestD) {
      best = q.name;
      bestD = d;
    }
  }
  return best;
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

const EDGES = ['left', 'right', 'top', 'bottom'] as const;

/**
 * Returns a copy of a loaded plan (useq MDASequence JSON) with the outline edits applied:
 * a polygon grid's vertices edited (a ring given closed stays closed), or an edge grid moved
 * (only `translate` applies to one). `missed` counts edits that found no such grid or
 * vertex; `refused` says why each edit that would leave an invalid polygon was not applied
 * (the host would refuse the plan, leaving no outline on the map to drag back). The host
 * re-checks the result (plan.positions).
 */
export function applyOutlineEdits(
  plan: Record<string, unknown>,
  edits: readonly PlanEdit[],
): { plan: Record<string, unknown>; missed: number; refused: string[] } {
  const out = structuredClone(plan);
  let missed = 0;
  const refused: string[] = [];
  for (const e of edits) {
    if (!('outline' in e)) continue;
    const { position, edit } = e.outline;
    const holder =
      position === null ? out : (out.stage_positions as unknown[] | undefined)?.[position];
    const seq = position === null ? holder : isRecord(holder) ? holder.sequence : undefined;
    const grid = isRecord(seq) ? seq.grid_plan : undefined;
    if (!isRecord(grid)) {
      missed++;
      continue;
    }
    if (Array.isArray(grid.vertices)) {
      const given = grid.vertices.map((v) => [...(v as number[])] as Pt);
      const ring = openRing(given);
      const closed = ring.length < given.length;
      const r = editRing(ring, edit);
      if (!r.ok) {
        if (r.missing) missed++;
        else refused.push(r.reason);
        continue;
      }
      grid.vertices = closed ? [...r.ring, r.ring[0]!] : r.ring;
    } else if (edit.op === 'translate' && EDGES.every((k) => typeof grid[k] === 'number')) {
      grid.left = (grid.left as number) + edit.dxUm;
      grid.right = (grid.right as number) + edit.dxUm;
      grid.top = (grid.top as number) + edit.dyUm;
      grid.bottom = (grid.bottom as number) + edit.dyUm;
    } else missed++;
  }
  return { plan: out, missed, refused };
}
