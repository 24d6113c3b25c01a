/**
 * The ROI finder's page-side state: whether the live view draws the ROI boxes, and accepted
 * ROIs on their way to the Acquire tab's plan form. The ROIs themselves and the verdicts on
 * them are host state (AppState.roiFinder, rois.setVerdict), the same for every client.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { FoundRoiView, RoiFinderView, RoiVerdict } from '../../electron/api/contract';

export type FoundRoi = FoundRoiView;
export type { RoiVerdict };

/** A stage position sent from the ROI list to the Acquire tab's plan form. */
export interface PlanPositionDraft {
  name: string;
  xUm: number;
  yUm: number;
}

export interface RoiSlice {
  /** Whether the live view draws the ROI boxes. */
  showRoiOverlay: boolean;
  setShowRoiOverlay(show: boolean): void;
  /** Positions waiting for the plan form (it takes them when it is shown). */
  planInbox: PlanPositionDraft[];
  /** Queues every accepted ROI's stage position of `found` for the plan form; returns how many. */
  sendAcceptedToPlan(found: RoiFinderView | null | undefined): number;
  /** Queues the stage positions of ROIs `indices` of `found` (named roi<i+1>); returns how many. */
  sendRoisToPlan(found: RoiFinderView, indices: readonly number[]): number;
  /** Empties the inbox and returns what it held. */
  takePlanInbox(): PlanPositionDraft[];
}

export const createRoiSlice: StateCreator<RoiSlice, [], [], RoiSlice> = (set, get) => ({
  showRoiOverlay: true,
  setShowRoiOverlay: (showRoiOverlay) => set({ showRoiOverlay }),
  planInbox: [],
  sendAcceptedToPlan: (found) =>
    found
      ? get().sendRoisToPlan(
          found,
          found.verdicts.flatMap((v, i) => (v === 'accepted' ? [i] : [])),
        )
      : 0,
  sendRoisToPlan: (found, indices) => {
    const drafts = indices.flatMap((i) => {
      const r = found.rois[i];
      return r ? [{ name: `roi${i + 1}`, xUm: r.xUm, yUm: r.yUm }] : [];
    });
    if (drafts.length > 0) set({ planInbox: [...get().planInbox, ...drafts] });
    return drafts.length;
  },
  takePlanInbox: () => {
    const taken = get().planInbox;
    if (taken.length > 0) set({ planInbox: [] });
    return taken;
  },
});
