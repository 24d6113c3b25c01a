/**
 * The plan being edited in the Acquire tab, shared with the navigator so it can draw the
 * plan's positions before the run (human-rate state: changes when the form changes).
 */
import type { StateCreator } from 'zustand/vanilla';

export interface NavigatorSlice {
  /** The Acquire tab's current plan (useq MDASequence JSON), or null when it has none. */
  draftPlan: Record<string, unknown> | null;
  setDraftPlan(plan: Record<string, unknown> | null): void;
}

export const createNavigatorSlice: StateCreator<NavigatorSlice, [], [], NavigatorSlice> = (
  set,
) => ({
  draftPlan: null,
  setDraftPlan: (draftPlan) => set({ draftPlan }),
});
