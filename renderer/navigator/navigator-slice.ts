/**
 * The plan being edited in the Acquire tab, shared with the navigator so it can draw the
 * plan's positions before the run, and positions dragged on the map going back to the form
 * (human-rate state).
 */
import type { StateCreator } from 'zustand/vanilla';
import type { PlanEdit } from './plan-edits';

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
});
