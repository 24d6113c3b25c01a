/**
 * Linear axes for the small automation plots (SVG user units, y down). A degenerate range
 * (one point, a flat curve) is widened so every point still lands inside the plot.
 */
export interface PlotBox {
  widthPx: number;
  heightPx: number;
  padPx: number;
}

export interface Axis {
  min: number;
  max: number;
  /** Data value → plot coordinate. */
  at(v: number): number;
}

export function extent(values: readonly number[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return null;
  if (max - min < 1e-12) {
    const half = Math.abs(min) * 0.05 || 1;
    return { min: min - half, max: max + half };
  }
  return { min, max };
}

/** Maps [min, max] onto [fromPx, toPx] (toPx < fromPx for a y axis pointing up). */
export function linearAxis(
  range: { min: number; max: number },
  fromPx: number,
  toPx: number,
): Axis {
  const k = (toPx - fromPx) / (range.max - range.min);
  return { ...range, at: (v) => fromPx + (v - range.min) * k };
}

/** SVG path through the points in the given order ("" for none). */
export function polyline(points: readonly { x: number; y: number }[]): string {
  return points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
    .join(' ');
}
