/**
 * ROIs found by `rois.find` and the operator's verdict on each: shared by the ROI finder's
 * list and the live view's overlay. Human-rate state (one result per Find).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { CommandResult } from '../../electron/api/contract';

export type FoundRois = CommandResult<'rois.find'>;
export type FoundRoi = FoundRois['rois'][number];
export type RoiVerdict = 'pending' | 'accepted' | 'rejected';

/** A stage position sent from the ROI list to the Acquire tab's plan form. */
export interface PlanPositionDraft {
  name: string;
  xUm: number;
  yUm: number;
}

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
  /** Positions waiting for the plan form (it takes them when it is shown). */
  planInbox: PlanPositionDraft[];
  /** Queues every accepted ROI's stage position for the plan form; returns how many. */
  sendAcceptedToPlan(): number;
  /** Empties the inbox and returns what it held. */
  takePlanInbox(): PlanPositionDraft[];
}

export const createRoiSlice: StateCreator<RoiSlice, [], [], RoiSlice> = (set, get) => ({
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
  planInbox: [],
  sendAcceptedToPlan: () => {
    const { foundRois, roiVerdicts, planInbox } = get();
    const accepted = (foundRois?.rois ?? [])
      .map((r, i) => ({ r, i }))
      .filter(({ i }) => roiVerdicts[i] === 'accepted')
      .map(({ r, i }) => ({ name: `roi${i + 1}`, xUm: r.xUm, yUm: r.yUm }));
    if (accepted.length > 0) set({ planInbox: [...planInbox, ...accepted] });
    return accepted.length;
  },
  takePlanInbox: () => {
    const taken = get().planInbox;
    if (taken.length > 0) set({ planInbox: [] });
    return taken;
  },
});
