/**
 * A FLImP run's published AutomationView: each change reaches the listeners with the run
 * control's pause and cancel state folded in and the ETA from the mean ROI time; frame
 * counts alone are published at most every FRAME_PUBLISH_MS.
 */
import type { AutomationView } from '../../api/contract';
import type { FlimpPlan } from './plan-schema';
import type { RunControl } from './run-control';
import { initialView, isEnded, recount, setRoi } from './run-view';

const FRAME_PUBLISH_MS = 250;

export class RunStatus {
  private readonly view: AutomationView;
  private readonly listeners = new Set<(v: AutomationView) => void>();
  private roiMsTotal = 0;
  private roiTimed = 0;
  private lastFramePublish = 0;
  private readonly maxRois: number;

  constructor(
    o: { name: string; runDir: string; plan: FlimpPlan },
    private readonly control: RunControl,
    private readonly wallMs: () => number,
  ) {
    this.view = initialView(o.name, o.runDir, o.plan, wallMs());
    this.maxRois = o.plan.maxRois;
  }

  /** The view as it is now (not a copy: read only). */
  get current(): Readonly<AutomationView> {
    return this.view;
  }

  snapshot(): AutomationView {
    return structuredClone(this.view);
  }

  subscribe(listener: (v: AutomationView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One ROI's imaging took `ms` (the ETA is the mean over the ROIs timed). */
  roiTook(ms: number): void {
    this.roiMsTotal += ms;
    this.roiTimed++;
  }

  /** ROI `id` has `frames` frames; published with the next change, or now if due. */
  frames(id: number, frames: number): void {
    setRoi(this.view, id, { frames });
    const now = this.wallMs();
    if (now - this.lastFramePublish >= FRAME_PUBLISH_MS) {
      this.lastFramePublish = now;
      this.update(() => undefined);
    }
  }

  update(change: (v: AutomationView) => void): void {
    change(this.view);
    const v = this.view;
    v.pauseRequested = this.control.isPauseRequested;
    if (this.control.isPaused && !isEnded(v)) v.phase = 'paused';
    else if (v.phase === 'paused') v.phase = v.currentRoi === null ? 'scanning' : 'imaging';
    if (this.control.stopReason?.kind === 'cancelled' && !isEnded(v)) v.phase = 'cancelling';
    recount(v, this.maxRois);
    if (!isEnded(v))
      v.etaS = this.roiTimed ? ((this.roiMsTotal / this.roiTimed) * v.remaining) / 1000 : null;
    const snapshot = this.snapshot();
    for (const l of this.listeners) l(snapshot);
  }
}
