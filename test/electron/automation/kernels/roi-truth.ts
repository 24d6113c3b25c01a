/** Scores found ROIs against the simulator's cells (world.truth), for the ROI tests and bench. */
import type { FoundRoi } from '../../../../electron/automation/kernels/roi-find';
import { stageToPixel, type FrameGeometry } from '../../../../electron/automation/pixel-to-stage';
import type { SimWorld } from '../../../../drivers/sim/world';

export interface RoiScore {
  tp: number;
  fp: number;
  fn: number;
}

/** Cells partly outside the frame can be found whole or in part: this margin catches them. */
const MARGIN_UM = 15;

/**
 * Greedy one-to-one matching, nearest first, of ROI centroids to cell centres closer than
 * half the cell's radius. Counted: cells whose disc lies wholly in the frame (found: TP,
 * missed: FN); unmatched ROIs not touching the frame edge (FP) — an edge ROI may be a cell
 * whose centre lies outside.
 */
export function scoreRois(
  world: SimWorld,
  g: FrameGeometry,
  sidePx: number,
  rois: readonly FoundRoi[],
): RoiScore {
  const halfUm = (sidePx * g.pixelSizeUm) / 2;
  const cells = world.truth
    .cellsIn({
      xUm: g.stageXUm - halfUm - MARGIN_UM,
      yUm: g.stageYUm - halfUm - MARGIN_UM,
      widthUm: 2 * (halfUm + MARGIN_UM),
      heightUm: 2 * (halfUm + MARGIN_UM),
    })
    .map((c) => {
      const p = stageToPixel(g, c);
      const r = c.radiusUm / g.pixelSizeUm;
      const inside = p.xPx - r >= 0 && p.yPx - r >= 0 && p.xPx + r < sidePx && p.yPx + r < sidePx;
      return { ...p, r, inside };
    });
  const pairs: { d: number; c: number; r: number }[] = [];
  cells.forEach((c, ci) =>
    rois.forEach((roi, ri) => {
      const d = Math.hypot(roi.xPx - c.xPx, roi.yPx - c.yPx);
      if (d < 0.5 * c.r) pairs.push({ d, c: ci, r: ri });
    }),
  );
  pairs.sort((a, b) => a.d - b.d);
  const cellHit = new Set<number>();
  const roiHit = new Set<number>();
  for (const p of pairs) {
    if (cellHit.has(p.c) || roiHit.has(p.r)) continue;
    cellHit.add(p.c);
    roiHit.add(p.r);
  }
  let tp = 0;
  let fn = 0;
  cells.forEach((c, i) => {
    if (!c.inside) return;
    if (cellHit.has(i)) tp++;
    else fn++;
  });
  let fp = 0;
  rois.forEach((r, i) => {
    if (roiHit.has(i)) return;
    const b = r.bbox;
    const atEdge =
      b.xPx <= 0 || b.yPx <= 0 || b.xPx + b.widthPx >= sidePx || b.yPx + b.heightPx >= sidePx;
    if (!atEdge) fp++;
  });
  return { tp, fp, fn };
}

export function f1(s: RoiScore): number {
  return s.tp === 0 ? 0 : (2 * s.tp) / (2 * s.tp + s.fp + s.fn);
}

/** A stage position whose frame holds at least `min` whole cells. */
export function fieldWithCells(
  world: SimWorld,
  sidePx: number,
  pixelUm: number,
  rand: () => number,
  min = 1,
): { xUm: number; yUm: number } {
  const halfUm = (sidePx * pixelUm) / 2;
  for (;;) {
    const xUm = (rand() * 2 - 1) * 1_300;
    const yUm = (rand() * 2 - 1) * 1_300;
    const inner = world.truth
      .cellsIn({ xUm: xUm - halfUm, yUm: yUm - halfUm, widthUm: 2 * halfUm, heightUm: 2 * halfUm })
      .filter(
        (c) =>
          Math.abs(c.xUm - xUm) + c.radiusUm < halfUm &&
          Math.abs(c.yUm - yUm) + c.radiusUm < halfUm,
      );
    if (inner.length >= min) return { xUm, yUm };
  }
}
