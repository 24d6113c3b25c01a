/**
 * The client's mirror of the host's AppState: a `hello` snapshot, then immer patches with
 * consecutive revisions. A patch whose rev is not exactly rev+1 means messages were lost
 * (or arrived out of order); the mirror reports a gap and the caller fetches a fresh
 * snapshot (by reconnecting). Patches that are already applied (rev ≤ current) are ignored.
 */
import { applyPatches, enablePatches, freeze, type Patch } from 'immer';
import type { AppState, StatePatch } from '../../electron/api/contract';

enablePatches();

export interface Mirror {
  state: AppState;
  rev: number;
}

export type PatchOutcome =
  | { kind: 'applied'; mirror: Mirror }
  | { kind: 'stale' }
  | { kind: 'gap'; expectedRev: number; gotRev: number }
  | { kind: 'no-snapshot' }
  | { kind: 'invalid'; message: string };

/** Deep-freezes `state` in place (it is the decoded message, owned by the mirror from now on). */
export function mirrorFromHello(state: AppState, rev: number): Mirror {
  return { state: freeze(state, true), rev };
}

export function applyPatchMessage(
  mirror: Mirror | null,
  rev: number,
  patches: readonly StatePatch[],
): PatchOutcome {
  if (!mirror) return { kind: 'no-snapshot' };
  if (rev <= mirror.rev) return { kind: 'stale' };
  if (rev !== mirror.rev + 1) return { kind: 'gap', expectedRev: mirror.rev + 1, gotRev: rev };
  try {
    const state = applyPatches(mirror.state, patches as Patch[]);
    return { kind: 'applied', mirror: { state, rev } };
  } catch (err) {
    return { kind: 'invalid', message: `patch rev ${rev}: ${(err as Error).message}` };
  }
}
