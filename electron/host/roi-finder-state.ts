/**
 * AppState.roiFinder: the last rois.find result, where the stage was for its frame, and the
 * operator's verdict on each ROI (every client sees them; the Navigate map draws them).
 */
import { StateError, ValidationError } from '../../drivers/errors';
import type { RoiVerdict } from '../api/contract';
import type { RoiFinderView } from '../api/state';
import type { StateStore } from './state-store';

/** A new ROI list replaces the last one; every verdict starts pending. */
export function publishRois(
  store: StateStore,
  found: Omit<RoiFinderView, 'atStageUm' | 'verdicts'>,
  atStageUm: RoiFinderView['atStageUm'],
): void {
  store.update((s) => {
    s.roiFinder = {
      ...structuredClone(found),
      atStageUm,
      verdicts: found.rois.map(() => 'pending'),
    };
  });
}

/** An operator's verdict on one ROI of the current list; refused if the list is not current. */
export function setRoiVerdict(
  store: StateStore,
  p: { frameSeq: number; index: number; verdict: RoiVerdict },
): void {
  const f = store.state.roiFinder;
  if (!f || f.frameSeq !== p.frameSeq)
    throw new StateError(
      `rois.setVerdict: the ROI list of frame ${p.frameSeq} is no longer current (${f ? `now frame ${f.frameSeq}` : 'none'}); find again`,
    );
  if (p.index >= f.rois.length)
    throw new ValidationError(
      `rois.setVerdict: index ${p.index} is out of range (the list has ${f.rois.length} ROIs)`,
    );
  store.update((s) => {
    s.roiFinder!.verdicts[p.index] = p.verdict;
  });
}

export function clearRois(store: StateStore): void {
  store.update((s) => {
    s.roiFinder = null;
  });
}
