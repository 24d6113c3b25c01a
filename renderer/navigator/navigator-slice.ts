/**
 * The plan being edited in the Acquire tab, shared with the navigator so it can draw the
 * plan's positions before the run, positions dragged on the map going back to the form, and
 * what is selected on the map (human-rate state).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { PlanEdit } from './plan-edits';

/**
 * What is selected on the map: an automation ROI (by its run-wide id), an ROI of the ROI
 * finder's list (by index in the list of that frame: a new list unselects it), or a vertex of
 * a plan outline (GridOutlineView.position and vertex index).
 */
export type MapSelection =
  | { kind: 'auto-roi'; id: number }
  | { kind: 'found-roi'; frameSeq: number; index: number }
  | { kind: 'vertex'; position: number | null; index: number };

export interface NavigatorSlice {
  /** The Acquire tab's current plan (useq MDASequence JSON), or null when it has none. */
  draftPlan: Record<string, unknown> | null;
  setDraftPlan(plan: Record<string, unknown> | null): void;
  /**
   * Positions moved, grids resized and polygon vertices moved on the map, waiting for the
   * Acquire tab (it takes them).
   */
  positionMoves: PlanEdit[];
  movePlanPosition(edit: PlanEdit): void;
  takePositionMoves(): PlanEdit[];
  mapSelection: MapSelection | null;
  selectOnMap(selection: MapSelection | null): void;
}

export const createNavigatorSlice: StateCreator<NavigatorSlice, [], [], NavigatorSlice> = (
  set,
  get,
) => ({
  draftPlan: null,
  setDraftPlan: (draftPlan) => set({ draftPlan }),
  positionMoves: [],
  movePlanPosition: (edit) => set((s) => ({ positionMoves: [...s.positionMoves, edit] })),
  takePositionMoves: () => {
    const moves = get().positionMoves;
    if (moves.length > 0) set({ positionMoves: [] });
    return moves;
  },
  mapSelection: null,
  selectOnMap: (mapSelection) => set({ mapSelection }),
});
