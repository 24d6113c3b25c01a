/** The AutomationView of a FLImP run (AppState.automation) and the ROI records it is built from. */
import type { AutomationRoiView, AutomationView } from '../../api/contract';
import type { FlimpRecord, JournalRoi } from './journal';
import type { FlimpPlan } from './plan-schema';

export const LIMIT_REASON = 'not imaged: the plan’s maxRois was reached';

export type RoiEnd = Extract<FlimpRecord, { t: 'roi-end' }>;

export function initialView(
  name: string,
  dir: string,
  plan: FlimpPlan,
  atMs: number,
): AutomationView {
  return {
    name,
    dir,
    phase: 'starting',
    pauseRequested: false,
    tileIndex: 0,
    tileTotal: plan.scan.columns * plan.scan.rows,
    currentRoi: null,
    found: 0,
    imaged: 0,
    skipped: 0,
    remaining: plan.maxRois,
    rois: [],
    focusMap: [],
    etaS: null,
    startedAtMs: atMs,
    endedAtMs: null,
    failure: null,
    report: null,
  };
}

export function isEnded(v: AutomationView): boolean {
  return v.phase === 'finished' || v.phase === 'failed' || v.phase === 'cancelled';
}

export function roiView(r: JournalRoi): AutomationRoiView {
  return { id: r.id, tile: r.tile, xUm: r.xUm, yUm: r.yUm, state: 'pending', frames: 0 };
}

export function setRoi(v: AutomationView, id: number, patch: Partial<AutomationRoiView>): void {
  const r = v.rois.find((x) => x.id === id);
  if (r) Object.assign(r, patch);
}

/** Marks an ROI finished in the view from its roi-end record. */
export function finishRoi(v: AutomationView, rec: RoiEnd): void {
  const patch: Partial<AutomationRoiView> = { state: rec.outcome, frames: rec.frames };
  if (rec.reason) patch.reason = rec.reason;
  if (rec.dataset) patch.dataset = rec.dataset;
  setRoi(v, rec.id, patch);
  // Its close may end while the next ROI is already being imaged.
  if (v.currentRoi === rec.id) v.currentRoi = null;
}

/** Counts and remaining budget from the per-ROI states; a limit-skipped ROI was not attempted. */
export function recount(v: AutomationView, maxRois: number): void {
  v.imaged = v.rois.filter((r) => r.state === 'imaged').length;
  v.skipped = v.rois.filter((r) => r.state === 'skipped').length;
  const attempted = v.rois.filter(
    (r) => r.state === 'imaged' || (r.state === 'skipped' && r.reason !== LIMIT_REASON),
  ).length;
  v.remaining = Math.max(0, maxRois - attempted);
}

export function skippedRecord(
  id: number,
  reason: string,
  atMs: number,
  startedAtMs = atMs,
): RoiEnd {
  return {
    t: 'roi-end',
    id,
    outcome: 'skipped',
    reason,
    frames: 0,
    signals: [],
    focus: null,
    driftNm: null,
    driftConfidence: null,
    exposureMsTotal: 0,
    thumbnail: null,
    startedAtMs,
    atMs,
  };
}
