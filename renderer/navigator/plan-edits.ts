/**
 * Positions dragged on the navigator's map, applied to the Acquire tab's plan form: a move
 * shifts the form's position of that name (markers carry the plan's `pos_name`, so every
 * grid tile of a position moves it by the drag).
 */
import type { PlanForm } from '../ui/plan-builder';

export interface PositionMove {
  name: string;
  dxUm: number;
  dyUm: number;
}

/** Returns the form with the moves applied, and the names no form position has. */
export function applyPositionMoves(
  form: PlanForm,
  moves: readonly PositionMove[],
): { form: PlanForm; unknown: string[] } {
  const unknown: string[] = [];
  let positions = form.positions;
  for (const m of moves) {
    const i = positions.findIndex((p) => p.name === m.name);
    if (i < 0) {
      unknown.push(m.name);
      continue;
    }
    positions = positions.map((p, j) =>
      j === i ? { ...p, xUm: p.xUm + m.dxUm, yUm: p.yUm + m.dyUm } : p,
    );
  }
  return { form: unknown.length === moves.length ? form : { ...form, positions }, unknown };
}
