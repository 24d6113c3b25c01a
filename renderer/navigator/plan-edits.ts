/**
 * Plan edits made on the navigator's map, applied to the Acquire tab's plan form:
 * - a position move shifts the form's position of that name (markers carry the plan's
 *   `pos_name`, so every grid tile of a position moves it by the drag);
 * - a grid resize (dragging the grid's corner handle) sets the form's grid rows and columns
 *   to what fits the dragged extent (gridSizeFor).
 */
import type { PlanForm } from '../ui/plan-builder';

export interface PositionMove {
  name: string;
  dxUm: number;
  dyUm: number;
}

export interface GridResize {
  grid: { rows: number; columns: number };
}

export type PlanEdit = PositionMove | GridResize;

/** Returns the form with the edits applied, and the position names no form position has. */
export function applyPositionMoves(
  form: PlanForm,
  edits: readonly PlanEdit[],
): { form: PlanForm; unknown: string[] } {
  const unknown: string[] = [];
  let out = form;
  for (const e of edits) {
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
