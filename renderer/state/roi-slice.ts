/**
 * ROIs found by `rois.find` and the operator's verdict on each: shared by the ROI finder's
 * list and the live view's overlay. Human-rate state (one result per Find).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { CommandResult } from '../../electron/api/contract';

export type FoundRois = CommandResult<'rois.find'>;
export type FoundRoi = FoundRois['rois'][number];
export type RoiVerdict = 'pending' | 'accepted' | 'rejected';

export interface RoiSlice {
  /** The last find's result (frame size and ROIs, best first), or null. */
  foundRois: FoundRois | null;
  /** Stage position when the ROIs' frame was taken (null without a stage). */
  roisAtStageUm: { xUm: number; yUm: number } | null;
  /** One verdict per entry of foundRois.rois. */
  roiVerdicts: RoiVerdict[];
  /** Whether the live view draws the ROI boxes. */
  showRoiOverlay: boolean;
  setFoundRois(found: FoundRois | null, atStageUm?: { xUm: number; yUm: number } | null): void;
  setRoiVerdict(index: number, verdict: RoiVerdict): void;
  setShowRoiOverlay(show: boolean): void;
}

export const createRoiSlice: StateCreator<RoiSlice, [], [], RoiSlice> = (set) => ({
  foundRois: null,
  roisAtStageUm: null,
  roiVerdicts: [],
  showRoiOverlay: true,
  setFoundRois: (foundRois, atStageUm = null) =>
    set({
      foundRois,
      roisAtStageUm: foundRois ? atStageUm : null,
      roiVerdicts: foundRois ? foundRois.rois.map(() => 'pending') : [],
    }),
  setRoiVerdict: (index, verdict) =>
    set((s) => {
      if (index < 0 || index >= s.roiVerdicts.length) return {};
      const roiVerdicts = [...s.roiVerdicts];
      roiVerdicts[index] = verdict;
      return { roiVerdicts };
    }),
  setShowRoiOverlay: (showRoiOverlay) => set({ showRoiOverlay }),
});
