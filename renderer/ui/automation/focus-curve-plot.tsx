/**
 * The autofocus focus curve (score against Z, samples sorted by Z) with the chosen Z
 * marked. Pure SVG from props; small enough to re-render per result.
 */
import { extent, linearAxis, polyline, type PlotBox } from './plot-scale';

export interface FocusCurveProps {
  curve: readonly { zUm: number; score: number }[];
  /** The chosen Z (a marker line), or null when autofocus failed. */
  chosenZUm: number | null;
  startZUm?: number;
  box?: PlotBox;
}

const DEFAULT_BOX: PlotBox = { widthPx: 360, heightPx: 120, padPx: 14 };

export function focusCurveGeometry(p: FocusCurveProps) {
  const box = p.box ?? DEFAULT_BOX;
  const sorted = [...p.curve].sort((a, b) => a.zUm - b.zUm);
  const zs = sorted.map((s) => s.zUm);
  if (p.chosenZUm !== null) zs.push(p.chosenZUm);
  if (p.startZUm !== undefined) zs.push(p.startZUm);
  const zRange = extent(zs);
  const sRange = extent(sorted.map((s) => s.score));
  if (!zRange || !sRange) return null;
  const x = linearAxis(zRange, box.padPx, box.widthPx - box.padPx);
  const y = linearAxis(sRange, box.heightPx - box.padPx, box.padPx);
  const points = sorted.map((s) => ({ x: x.at(s.zUm), y: y.at(s.score) }));
  return {
    box,
    x,
    y,
    points,
    path: polyline(points),
    chosenX: p.chosenZUm === null ? null : x.at(p.chosenZUm),
    startX: p.startZUm === undefined ? null : x.at(p.startZUm),
  };
}

export function FocusCurvePlot(p: FocusCurveProps) {
  const g = focusCurveGeometry(p);
  if (!g) return <p className="empty">No focus curve.</p>;
  const { widthPx: w, heightPx: h, padPx: pad } = g.box;
  return (
    <svg
      className="plot"
      data-testid="focus-curve"
      data-points={g.points.length}
      viewBox={`0 0 ${w} ${h}`}
      width={w}
      height={h}
      role="img"
      aria-label="Focus score against Z"
    >
      <rect x={pad} y={pad} width={w - 2 * pad} height={h - 2 * pad} className="plot-frame" />
      <path d={g.path} className="plot-line" data-testid="focus-curve-line" />
      {g.points.map((pt, i) => (
        <circle key={i} cx={pt.x} cy={pt.y} r={2} className="plot-dot" />
      ))}
      {g.startX !== null && (
        <line x1={g.startX} x2={g.startX} y1={pad} y2={h - pad} className="plot-start" />
      )}
      {g.chosenX !== null && (
        <line
          x1={g.chosenX}
          x2={g.chosenX}
          y1={pad}
          y2={h - pad}
          className="plot-marker"
          data-testid="focus-curve-chosen"
        />
      )}
      <text x={pad} y={h - 2} className="plot-label">
        {g.x.min.toFixed(1)} µm
      </text>
      <text x={w - pad} y={h - 2} className="plot-label" textAnchor="end">
        {g.x.max.toFixed(1)} µm
      </text>
    </svg>
  );
}
