/**
 * ROI boxes over the live image, drawn in image pixel coordinates (pixel (i, j) covers
 * [i, i+1) × [j, j+1)). It sits in the live view's image layer, whose CSS transform the
 * render loop keeps equal to the view's zoom/pan, so boxes follow the image. Once the stage
 * has moved away from where the ROIs' frame was taken the boxes would be wrong: hidden.
 */
import type { FoundRoi, RoiVerdict } from '../../state/roi-slice';
import { useUi } from '../host-context';

export function roiBoxes(rois: readonly FoundRoi[], verdicts: readonly RoiVerdict[]) {
  return rois.map((r, i) => ({
    index: i,
    x: r.bbox.xPx,
    y: r.bbox.yPx,
    w: r.bbox.widthPx,
    h: r.bbox.heightPx,
    verdict: verdicts[i] ?? 'pending',
  }));
}

/** Stage travel (µm) after which the boxes no longer match the image and are hidden. */
export const OVERLAY_STALE_UM = 0.5;

/** Whether the stage is still where the ROIs' frame was taken. */
export function overlayCurrent(
  at: { xUm: number; yUm: number } | null,
  stage: { xUm: number; yUm: number } | null,
): boolean {
  if (!at || !stage) return true;
  return Math.hypot(stage.xUm - at.xUm, stage.yUm - at.yUm) <= OVERLAY_STALE_UM;
}

export function RoiOverlay() {
  const found = useUi((s) => s.mirror?.state.roiFinder ?? null);
  const show = useUi((s) => s.showRoiOverlay);
  const current = useUi((s) =>
    overlayCurrent(s.mirror?.state.roiFinder?.atStageUm ?? null, s.mirror?.state.stage ?? null),
  );
  if (!found || !show || !current) return null;
  return (
    <svg
      className="roi-overlay"
      data-testid="roi-overlay"
      width={found.widthPx}
      height={found.heightPx}
      viewBox={`0 0 ${found.widthPx} ${found.heightPx}`}
    >
      {roiBoxes(found.rois, found.verdicts).map((b) => (
        <g key={b.index} className={`roi-box ${b.verdict}`} data-testid={`roi-box-${b.index}`}>
          <rect x={b.x} y={b.y} width={b.w} height={b.h} />
          <text x={b.x} y={b.y} dy={-2}>
            {b.index + 1}
          </text>
        </g>
      ))}
    </svg>
  );
}
