/**
 * "Scan overview": a coarse grid of fields around a centre, in serpentine order, each field
 * one camera field of view apart (no overlap), dropping fields whose centre lies outside
 * the safety envelope (the safety layer would refuse them anyway).
 */
import type { LimitRange } from '../../electron/api/contract';
import type { Vec } from './frame-placement';

export interface OverviewSpec {
  center: Vec;
  /** Field of view, µm (the step between fields). */
  fieldWidthUm: number;
  fieldHeightUm: number;
  rows: number;
  columns: number;
}

export function overviewGrid(
  s: OverviewSpec,
  limits: { xUm: LimitRange; yUm: LimitRange } | null,
): Vec[] {
  if (!(s.fieldWidthUm > 0 && s.fieldHeightUm > 0)) {
    throw new RangeError(`scan overview: field of view ${s.fieldWidthUm}×${s.fieldHeightUm} µm`);
  }
  if (!Number.isInteger(s.rows) || !Number.isInteger(s.columns) || s.rows < 1 || s.columns < 1) {
    throw new RangeError(`scan overview: rows and columns must be whole numbers ≥ 1`);
  }
  const out: Vec[] = [];
  for (let r = 0; r < s.rows; r++) {
    for (let k = 0; k < s.columns; k++) {
      const c = r % 2 === 0 ? k : s.columns - 1 - k;
      const p = {
        x: s.center.x + (c - (s.columns - 1) / 2) * s.fieldWidthUm,
        y: s.center.y + (r - (s.rows - 1) / 2) * s.fieldHeightUm,
      };
      const inside =
        !limits ||
        (p.x >= limits.xUm.min &&
          p.x <= limits.xUm.max &&
          p.y >= limits.yUm.min &&
          p.y <= limits.yUm.max);
      if (inside) out.push(p);
    }
  }
  return out;
}
