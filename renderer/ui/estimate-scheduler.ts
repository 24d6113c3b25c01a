/**
 * Debounced `plan.estimate` calls while the plan form changes: only the last plan of a
 * burst is sent (after `delayMs` of quiet), and a reply to an older plan never replaces
 * the answer to a newer one. No React; the panel feeds it and renders `onResult`.
 */
import type { CommandResult } from '../../electron/api/contract';

export type Estimate = CommandResult<'plan.estimate'>;
export type EstimateView =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'ok'; estimate: Estimate }
  /** `problems`: one line per invalid field, when the host listed them (E_INVALID). */
  | { kind: 'error'; message: string; problems?: string[] };

export interface EstimateSchedulerDeps {
  estimate(plan: Record<string, unknown>): Promise<Estimate>;
  onResult(view: EstimateView): void;
  delayMs?: number;
}

export class EstimateScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private generation = 0;

  constructor(private readonly deps: EstimateSchedulerDeps) {}

  /** A new plan (or null: nothing to estimate, e.g. the form has errors). */
  update(plan: Record<string, unknown> | null): void {
    const gen = ++this.generation;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (plan === null) {
      this.deps.onResult({ kind: 'idle' });
      return;
    }
    this.deps.onResult({ kind: 'pending' });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.deps.estimate(plan).then(
        (estimate) => {
          if (gen === this.generation) this.deps.onResult({ kind: 'ok', estimate });
        },
        (err: unknown) => {
          if (gen !== this.generation) return;
          const message = err instanceof Error ? err.message : String(err);
          const listed = (err as { details?: { problems?: unknown } }).details?.problems;
          const problems = Array.isArray(listed) ? listed.map(String) : undefined;
          this.deps.onResult({ kind: 'error', message, ...(problems ? { problems } : {}) });
        },
      );
    }, this.deps.delayMs ?? 300);
  }

  dispose(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
