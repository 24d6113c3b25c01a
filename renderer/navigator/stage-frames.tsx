/**
 * The map's two stage frames, in stage µm: the stage's mechanical travel (config
 * `stage.travelUm`, when given) as the outer solid frame and the safety limits (every move
 * is checked against them) as the dashed frame inside it. Each carries an SVG title naming
 * it and its ranges (the frames take no pointer events: clicks go to the map); the legend
 * under the map names both styles.
 */
import type { LimitRange } from '../../electron/api/contract';
import type { Rect } from './frame-placement';

export interface XYRanges {
  xUm: LimitRange;
  yUm: LimitRange;
}

const rectOf = (r: XYRanges): Rect => ({
  x0: r.xUm.min,
  y0: r.yUm.min,
  x1: r.xUm.max,
  y1: r.yUm.max,
});

/** A stage-µm rectangle as SVG rect attributes. */
export const rectProps = (r: Rect) => ({
  x: r.x0,
  y: r.y0,
  width: r.x1 - r.x0,
  height: r.y1 - r.y0,
});

const span = (r: XYRanges) => `x ${r.xUm.min}…${r.xUm.max} µm, y ${r.yUm.min}…${r.yUm.max} µm`;

/** The rectangle "Fit envelope" fits: the travel when known, else the safety limits. */
export function outerFrame(limits: XYRanges | null, travel: XYRanges | null): Rect | null {
  const r = travel ?? limits;
  return r ? rectOf(r) : null;
}

function Frame(p: { r: XYRanges; kind: 'travel' | 'limits'; title: string }) {
  return (
    <rect className={`nav-${p.kind}`} data-testid={`nav-${p.kind}`} {...rectProps(rectOf(p.r))}>
      <title>{`${p.title}: ${span(p.r)}`}</title>
    </rect>
  );
}

export function StageFrames(p: { limits: XYRanges | null; travel: XYRanges | null }) {
  return (
    <>
      {p.travel && <Frame r={p.travel} kind="travel" title="Stage travel (mechanical)" />}
      {p.limits && (
        <Frame r={p.limits} kind="limits" title="Safety limits (moves outside are refused)" />
      )}
    </>
  );
}

/** The legend under the map: the frames' styles and what they mean. */
export function StageFramesLegend(p: { travel: boolean }) {
  return (
    <span className="sub nav-legend" data-testid="nav-legend">
      {p.travel && (
        <>
          <span className="nav-legend-travel" aria-hidden /> travel{' '}
        </>
      )}
      <span className="nav-legend-limits" aria-hidden /> safety limits
    </span>
  );
}
