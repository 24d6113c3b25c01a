/**
 * The bookkeeping behind a run's status snapshot: where the run is, what it wrote, what
 * failed, data rate and ETA. ETA = remaining events × mean time per finished event (pauses
 * excluded), so it includes time-plan waits once a few timepoints have run.
 */
import type { SerializedError } from '../../drivers/errors';
import type { MdaEvent } from '../plans/events';
import type { DatasetSummary } from '../storage/layout';
import type { RunEventError, RunState, RunStatus } from './types';

export class RunProgress {
  eventIndex = 0;
  eventsDone = 0;
  framesWritten = 0;
  bytesWritten = 0;
  private readonly errors: RunEventError[] = [];
  private startedAtMs: number | null = null;
  private endedAtMs: number | null = null;
  private endedActiveMs: number | null = null;
  private summary: DatasetSummary | null = null;

  constructor(
    private readonly events: readonly MdaEvent[],
    /** Wall clock for timestamps (epoch ms). */
    private readonly wallMs: () => number,
    /** Run time without pauses, ms. */
    private readonly activeMs: () => number,
  ) {}

  start(): void {
    this.startedAtMs = this.wallMs();
  }

  beginEvent(i: number): void {
    this.eventIndex = i;
  }

  endEvent(done: number): void {
    this.eventsDone = done;
    this.eventIndex = Math.min(done, this.events.length);
  }

  recordFrame(bytes: number): void {
    this.framesWritten++;
    this.bytesWritten += bytes;
  }

  recordError(eventIndex: number, e: MdaEvent, error: SerializedError): void {
    this.errors.push({ eventIndex, index: { ...e.index }, error, atMs: this.wallMs() });
  }

  setSummary(summary: DatasetSummary): void {
    this.summary = summary;
  }

  finish(): void {
    this.endedAtMs = this.wallMs();
    this.endedActiveMs = this.activeMs();
  }

  snapshot(state: RunState, pauseRequested: boolean, failure: SerializedError | null): RunStatus {
    const started = this.startedAtMs !== null;
    const activeS = started ? (this.endedActiveMs ?? this.activeMs()) / 1000 : 0;
    const remaining = this.events.length - this.eventsDone;
    let etaS: number | null = null;
    if (this.endedAtMs !== null || (started && remaining === 0)) etaS = 0;
    else if (this.eventsDone > 0) etaS = (remaining * activeS) / this.eventsDone;
    return {
      state,
      pauseRequested,
      eventIndex: this.eventIndex,
      eventTotal: this.events.length,
      framesWritten: this.framesWritten,
      bytesWritten: this.bytesWritten,
      dataRateBytesPerS: activeS > 0 ? this.bytesWritten / activeS : 0,
      etaS,
      startedAtMs: this.startedAtMs,
      endedAtMs: this.endedAtMs,
      errors: [...this.errors],
      failure,
      summary: this.summary,
    };
  }
}
