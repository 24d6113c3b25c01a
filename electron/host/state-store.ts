/**
 * The host's one copy of AppState. Changes go through `update`, which produces immer
 * patches; subscribers receive them with a revision number so clients can detect gaps.
 */
import { enablePatches, produceWithPatches, type Draft } from 'immer';
import type { AppState, StatePatch } from '../api/contract';

enablePatches();

export type PatchListener = (rev: number, patches: StatePatch[]) => void;

export class StateStore {
  private current: AppState;
  private revision = 0;
  private readonly listeners = new Set<PatchListener>();
  /** Host-internal mirrors of the state (not clients: not in `subscriberCount`). */
  private readonly mirrors = new Set<() => void>();

  constructor(initial: AppState) {
    this.current = initial;
  }

  get state(): AppState {
    return this.current;
  }

  get rev(): number {
    return this.revision;
  }

  update(recipe: (draft: Draft<AppState>) => void): void {
    const [next, patches] = produceWithPatches(this.current, recipe);
    if (patches.length === 0) return;
    this.current = next;
    this.revision += 1;
    const rev = this.revision;
    for (const l of [...this.listeners]) l(rev, patches as StatePatch[]);
    for (const m of [...this.mirrors]) m();
  }

  /** Clients following the state (WebSocket sessions, the window's IPC, the CLI). */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  /** Called after every change, like `subscribe`, but not counted as a client following the state. */
  mirror(listener: () => void): () => void {
    this.mirrors.add(listener);
    return () => this.mirrors.delete(listener);
  }

  subscribe(listener: PatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
