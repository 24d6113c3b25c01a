/**
 * ROIs selectable on the map (issue #17): what the details card shows for the selected ROI,
 * and the order Tab / arrow keys step through them (automation ROIs by id, then the ROI
 * finder's list, best first). Pure.
 */
import type {
  AutomationRoiView,
  CameraOrientation,
  RoiFinderView,
  RoiVerdict,
} from '../../electron/api/contract';
import { imageToStageOffset, type Rect } from './frame-placement';
import type { MapSelection } from './navigator-slice';

export type RoiSelection = Extract<MapSelection, { kind: 'auto-roi' | 'found-roi' }>;

export interface RoiDetails {
  selection: RoiSelection;
  /** "Automation ROI 3" / "Found ROI 2" (1-based for found ROIs, as in the ROI list). */
  title: string;
  xUm: number;
  yUm: number;
  /** The ROI's bounding box on the stage; null when the host does not say its pixel size. */
  boxUm: Rect | null;
  /** Bounding box in frame pixels (found ROIs). */
  sizePx: { widthPx: number; heightPx: number } | null;
  areaPx: number | null;
  score: number | null;
  meanIntensity: number | null;
  /** An automation ROI's state or a found ROI's verdict. */
  status: AutomationRoiView['state'] | RoiVerdict;
  /** Why an automation ROI was skipped. */
  reason: string | null;
  /** Frames an automation ROI has imaged, and its dataset folder. */
  frames: number | null;
  dataset: string | null;
}

export const sameRoi = (a: MapSelection | null, b: RoiSelection): boolean =>
  a !== null &&
  a.kind === b.kind &&
  (a.kind === 'auto-roi'
    ? a.id === (b as { id: number }).id
    : a.kind === 'found-roi' &&
      b.kind === 'found-roi' &&
      a.frameSeq === b.frameSeq &&
      a.index === b.index);

/** Every ROI on the map, in stepping order. */
export function roiSelections(
  auto: readonly AutomationRoiView[] | null | undefined,
  found: RoiFinderView | null | undefined,
): RoiSelection[] {
  return [
    ...(auto ?? []).map((r): RoiSelection => ({ kind: 'auto-roi', id: r.id })),
    ...(found?.rois ?? []).map((_, index): RoiSelection => ({
      kind: 'found-roi',
      frameSeq: found!.frameSeq,
      index,
    })),
  ];
}

/**
 * The ROI `step` places after (negative: before) `current` in `all`, wrapping; the first
 * (or last, stepping back) when nothing or something gone is selected; null when there are none.
 */
export function stepRoi(
  all: readonly RoiSelection[],
  current: MapSelection | null,
  step: number,
): RoiSelection | null {
  if (all.length === 0) return null;
  const i = all.findIndex((s) => sameRoi(current, s));
  if (i < 0) return step >= 0 ? all[0]! : all[all.length - 1]!;
  return all[(((i + step) % all.length) + all.length) % all.length]!;
}

/**
 * The stage rectangle of a found ROI's pixel bounding box: pixel (i, j) is centred at (i, j)
 * (as the host's pixel → stage mapping has it), so the box spans [x − ½, x + w − ½); its
 * corners are placed from the ROI's own centre and stage position through the camera
 * orientation.
 */
export function foundRoiBox(
  r: RoiFinderView['rois'][number],
  umPerPx: number,
  o: CameraOrientation,
): Rect {
  const corner = (px: number, py: number) =>
    imageToStageOffset(o, { x: (px - r.xPx) * umPerPx, y: (py - r.yPx) * umPerPx });
  const a = corner(r.bbox.xPx - 0.5, r.bbox.yPx - 0.5);
  const b = corner(r.bbox.xPx + r.bbox.widthPx - 0.5, r.bbox.yPx + r.bbox.heightPx - 0.5);
  return {
    x0: r.xUm + Math.min(a.x, b.x),
    y0: r.yUm + Math.min(a.y, b.y),
    x1: r.xUm + Math.max(a.x, b.x),
    y1: r.yUm + Math.max(a.y, b.y),
  };
}

/** What the card shows for `sel`; null when that ROI is no longer on the map. */
export function roiDetails(
  sel: MapSelection | null,
  auto: readonly AutomationRoiView[] | null | undefined,
  found: RoiFinderView | null | undefined,
  o: CameraOrientation,
): RoiDetails | null {
  if (sel?.kind === 'auto-roi') {
    const r = auto?.find((a) => a.id === sel.id);
    if (!r) return null;
    return {
      selection: sel,
      title: `Automation ROI ${r.id}`,
      xUm: r.xUm,
      yUm: r.yUm,
      boxUm: null,
      sizePx: null,
      areaPx: null,
      score: null,
      meanIntensity: null,
      status: r.state,
      reason: r.reason ?? null,
      frames: r.frames,
      dataset: r.dataset ?? null,
    };
  }
  if (sel?.kind !== 'found-roi' || !found || found.frameSeq !== sel.frameSeq) return null;
  const r = found.rois[sel.index];
  if (!r) return null;
  return {
    selection: sel,
    title: `Found ROI ${sel.index + 1}`,
    xUm: r.xUm,
    yUm: r.yUm,
    boxUm: found.umPerPx ? foundRoiBox(r, found.umPerPx, o) : null,
    sizePx: { widthPx: r.bbox.widthPx, heightPx: r.bbox.heightPx },
    areaPx: r.areaPx,
    score: r.score,
    meanIntensity: r.meanIntensity,
    status: found.verdicts[sel.index] ?? 'pending',
    reason: null,
    frames: null,
    dataset: null,
  };
}
